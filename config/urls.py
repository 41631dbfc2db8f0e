"""URL map: the API under /api/v1/, the landing pages under /s/, the admin, the probes."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

import config.converters  # noqa: F401 (registers <id:...> before the app URLs load)
from config import health, outages, problems
from config.schema import EnglishSchemaView
from shortlinks.urls import api_urlpatterns as shortlink_api
from shortlinks.urls import page_urlpatterns as shortlink_pages
from wechat import views as wechat_views

# Short links first: resolving a scanned code is the hottest route, and Django tries the
# patterns in order.
api_v1 = [
    path("", include(shortlink_api)),
    path("", include("accounts.urls")),
    path("", include("album.urls")),
    path("", include("comments.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    *(
        [
            path("api/schema/", EnglishSchemaView.as_view(), name="schema"),
            # The split view serves Swagger UI's start script as a file: no inline script,
            # so the Content-Security-Policy allows scripts from this site only.
            path(
                "api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"
            ),  # fmt: skip
        ]
        if settings.API_DOCS
        else []
    ),
    # Anything else under /api/ is a problem document, in debug mode too. CSRF-exempt like the
    # API itself (tokens, not cookies), so a DELETE to a malformed path is a 404, not an HTML 403.
    re_path(r"^api/", csrf_exempt(problems.handler404)),
    path("admin/desk/", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # WeChat's verification files: at the root, and in the plain-QR rule's last folder (/S/,
    # where WeChat looks for the file of a rule on https://<domain>/S/), before the pages there.
    re_path(
        r"^(?:[sS]/)?(?P<name>[A-Za-z0-9_-]{1,64}\.txt)$",
        wechat_views.verify_file,
        name="verify-file",
    ),  # fmt: skip
    *shortlink_pages,
    path("wechat/push", wechat_views.push, name="wechat-push"),
]

if settings.DEBUG and "FileSystemStorage" in settings.STORAGES["default"]["BACKEND"]:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = problems.handler400
handler403 = problems.handler403
handler404 = problems.handler404
handler500 = outages.handler500
