from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ProjectConfig(AppConfig):
    """What the project sets up beside its apps."""

    name = "config"
    verbose_name = _("Project")

    def ready(self):
        from config.databases import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="config.databases")


class AdminConfig(DjangoAdminConfig):
    """The admin, on the project's own site (config.admin.AdminSite: a throttled login)."""

    default_site = "config.admin.AdminSite"
