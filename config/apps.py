from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The admin, on the project's own site (config.admin.AdminSite: a throttled login)."""

    default_site = "config.admin.AdminSite"
