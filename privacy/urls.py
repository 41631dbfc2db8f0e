from django.urls import path

from privacy import views

urlpatterns = [
    path("me/exports", views.ExportListView.as_view(), name="me-exports"),
    path("me/exports/<id:export_id>", views.ExportDetailView.as_view(), name="me-export"),
]
