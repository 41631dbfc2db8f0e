from django.urls import path

from reports import views

urlpatterns = [
    path("reports", views.ReportListView.as_view(), name="report-list"),
    path("reports/<id:report_id>", views.ReportDetailView.as_view(), name="report-detail"),
]
