"""The framework's floor: an empty Django project (no apps, no middleware) with one view that
answers a redirect, served by the same gunicorn configuration as the project."""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-empty-project-" + "x" * 40,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponseRedirect  # noqa: E402
from django.urls import path  # noqa: E402


def redirect(request):
    return HttpResponseRedirect("/")


urlpatterns = [path("", redirect), path("healthz", redirect)]

app = get_wsgi_application()
