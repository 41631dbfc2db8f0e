"""The image pipeline: bytes in, a clean original and its derivatives out. No ORM, no request.

Checked by content (Pillow's decoders, never the name or declared type), under a pixel limit so a
decompression bomb is refused before it is decoded; EXIF orientation applied, then every piece of
metadata dropped (EXIF with GPS, XMP, comments) before anything leaves this module.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image, ImageOps, UnidentifiedImageError

from config.problems import ApplicationError

DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
LARGE_SIDE = 1600
THUMB_SIDE = 400

# Pillow format name -> (content type, file extension) of what we store.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_OFFSET_TIME_ORIGINAL = 36881
_DATETIME = 306


class UnsupportedImage(ApplicationError):
    code = "unsupported_image"
    default_detail = "The file is not a JPEG, PNG or WebP image, or it is damaged."


class ImageTooLarge(ApplicationError):
    code = "image_too_large"
    default_detail = "The image has too many pixels."


class FileTooLarge(ApplicationError):
    code = "file_too_large"
    default_detail = "The file is too large."


@dataclass(frozen=True)
class Rendition:
    data: bytes
    content_type: str
    extension: str


@dataclass(frozen=True)
class ProcessedImage:
    original: Rendition
    large: Rendition
    thumb: Rendition
    width: int
    height: int
    sha256: str
    taken_at: datetime | None


def check_size(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if size > max_bytes:
        raise FileTooLarge(f"The file is {size} bytes; the limit is {max_bytes}.")
    if size == 0:
        raise UnsupportedImage("The file is empty.")


def process(
    data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_bytes: int = DEFAULT_MAX_BYTES
) -> ProcessedImage:
    """Check and clean an uploaded image. Raises FileTooLarge, ImageTooLarge, UnsupportedImage."""
    check_size(len(data), max_bytes)
    image = _open(data, max_pixels)
    fmt = image.format
    taken_at = _taken_at(image)
    icc_profile = image.info.get("icc_profile")

    try:
        image = ImageOps.exif_transpose(image)
        image = _without_metadata(image, fmt)
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise UnsupportedImage() from exc

    content_type, extension = FORMATS[fmt]
    original = Rendition(_encode(image, fmt, icc_profile), content_type, extension)
    # Derivatives are JPEG, the one format every WeChat client shows; the thumbnail is made
    # from the large rendition, which is much cheaper than from the full-size original.
    large_image = _shrink(image, LARGE_SIDE)
    large = Rendition(_encode(large_image, "JPEG", icc_profile, quality=85), "image/jpeg", "jpg")
    thumb_image = _shrink(large_image, THUMB_SIDE)
    thumb = Rendition(_encode(thumb_image, "JPEG", icc_profile, quality=85), "image/jpeg", "jpg")
    return ProcessedImage(
        original=original,
        large=large,
        thumb=thumb,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
        taken_at=taken_at,
    )


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; we refuse either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnsupportedImage() from exc
    # Only the header has been read so far: refuse big images before decoding a pixel.
    if image.width * image.height > max_pixels:
        raise ImageTooLarge(
            f"The image is {image.width}x{image.height} pixels; the limit is {max_pixels} pixels."
        )
    return image


def _taken_at(image: Image.Image) -> datetime | None:
    """When the photo was taken, from EXIF; UTC unless the camera recorded its offset."""
    try:
        exif = image.getexif()
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # a malformed EXIF block must not stop an otherwise good photo
        return None
    raw = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        taken = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return taken.replace(tzinfo=_offset(sub.get(_OFFSET_TIME_ORIGINAL)))


def _offset(raw) -> timezone:
    if isinstance(raw, str) and len(raw.strip("\x00")) == 6 and raw[0] in "+-":
        try:
            hours, minutes = int(raw[1:3]), int(raw[4:6])
        except ValueError:
            return UTC
        sign = 1 if raw[0] == "+" else -1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return UTC


def _without_metadata(image: Image.Image, fmt: str) -> Image.Image:
    """A fresh image holding only pixels: no EXIF, XMP, GPS, comments or text chunks."""
    if fmt == "JPEG":
        mode = image.mode if image.mode in ("RGB", "L") else "RGB"
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if image.mode in ("RGB", "RGBA", "L", "LA"):
            mode = image.mode
        else:
            mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    # frombytes carries no `info` and no EXIF: nothing can leak into the saved file.
    return Image.frombytes(mode, image.size, image.tobytes())


def _encode(image: Image.Image, fmt: str, icc_profile: bytes | None, *, quality: int = 92) -> bytes:
    out = io.BytesIO()
    # The colour profile is kept on purpose: it is colour data, not personal metadata, and
    # without it wide-gamut phone photos look washed out.
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        options.update(quality=quality, optimize=True)
    elif fmt == "WEBP":
        options.update(quality=90, method=4)
    elif fmt == "PNG":
        options.update(compress_level=6)
    image.save(out, fmt, **options)
    return out.getvalue()


def _shrink(image: Image.Image, side: int) -> Image.Image:
    """A copy no larger than side x side, in RGB (transparency flattened onto white)."""
    small = image.copy()
    small.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if small.mode in ("RGBA", "LA"):
        background = Image.new("RGB", small.size, (255, 255, 255))
        background.paste(small, mask=small.getchannel("A"))
        return background
    return small if small.mode == "RGB" else small.convert("RGB")
