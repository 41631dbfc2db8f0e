"""What an upload endpoint checks before it reads a byte of the body."""

from django.conf import settings

from config.problems import ApplicationError
from media import images

# Multipart overhead allowed on top of the file itself before the body is even parsed.
_FORM_OVERHEAD = 64 * 1024


class LengthRequired(ApplicationError):
    code = "length_required"
    default_detail = "Send the file with a Content-Length header (wx.uploadFile does)."


def refuse_oversized_body(request) -> None:
    """Refuse a body that cannot hold an acceptable file before any of it is read: a length
    over the limit, or no length at all (a chunked body could be any size)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        raise LengthRequired() from None
    if length > settings.PHOTO_MAX_BYTES + _FORM_OVERHEAD:
        raise images.FileTooLarge(
            f"The request is {length} bytes; files may be {settings.PHOTO_MAX_BYTES} bytes."
        )
