"""What WeChat itself fetches from this domain: the files that prove we own it."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET


@csrf_exempt  # read-only pages: any other method is a 405, not a CSRF page
@require_GET
def verify_file(request, name: str):
    """A WECHAT_VERIFY_FILES entry at the domain's root, as text/plain; anything else 404."""
    content = settings.WECHAT_VERIFY_FILES.get(name)
    if content is None:
        raise Http404("No such file.")
    return HttpResponse(content, content_type="text/plain; charset=utf-8")
