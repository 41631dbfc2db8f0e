from django.contrib import admin
from django.urls import path

from desk import views

app_name = "desk"
urlpatterns = [
    path("", admin.site.admin_view(views.index), name="index"),
    path("decide", admin.site.admin_view(views.decide), name="decide"),
]
