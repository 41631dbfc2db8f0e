"""The image pipeline: bytes in, a clean original and its derivatives out. No ORM, no request.

Checked by content (Pillow's decoders, never the name or declared type), under a pixel limit and
a limit on pixels per byte of file, so a decompression bomb is refused from its header before a
pixel is decoded; animated images are refused. Every piece of metadata (EXIF with GPS, XMP,
IPTC, comments) is dropped before anything leaves this module.

Two paths. A phone's JPEG (RGB or grey) keeps its compressed picture byte for byte, with its
metadata segments dropped (media.jpeg) and EXIF's orientation as its only tag, and its
derivatives are decoded at reduced scale (`draft`): the full-size pixels never exist, so a
12 MP photo costs about a quarter of the general path and peaks near +40 MiB. Everything else
(PNG, WebP, CMYK, an oversized colour profile, a file the segment walk refuses) is decoded,
turned upright and re-encoded: at most two full-size copies of the pixels live at once (the
decoded image and its clean copy), the derivatives resized straight from it, so a 12 MP photo
peaks near 2 x 36 MB plus the encoders' buffers.
"""

import contextlib
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from config.problems import ApplicationError
from media import jpeg

# Phones' default modes: 12 MP (most Android phones, iPhones before the 15) and 24 MP (iPhone 15
# and later); 48-200 MP "high resolution" modes are opt-in and refused unless the setting is
# raised. At 25 MP one image in flight is about 150 MB.
DEFAULT_MAX_PIXELS = 25_000_000
# Above RATIO_FREE_PIXELS an image must bring a byte of file per MAX_PIXELS_PER_BYTE pixels:
# camera photos bring one per 3 to 10 pixels, screenshots one per 20 to 60; a file that claims
# far more pixels than its bytes can describe is a bomb. Small images are exempt (a black 3 MP
# screenshot is tiny and harmless).
DEFAULT_MAX_PIXELS_PER_BYTE = 100
RATIO_FREE_PIXELS = 4_000_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A progressive JPEG is decoded scan by scan, each pass over every pixel: cameras and encoders
# write 1 (baseline) to about 12 scans; a file repeating its last scan thousands of times takes
# minutes to decode in a few kilobytes (a decode-time bomb). More scans than this are refused.
MAX_JPEG_SCANS = 32
# A colour profile is kept only if it parses and is at most this big (phones' Display P3 is
# ~0.5 KB; a profile of megabytes would be copied into every rendition).
MAX_ICC_BYTES = 64 * 1024
LARGE_SIDE = 1600
THUMB_SIDE = 400
# Avatars are square: WeChat shows them in a square or a circle, at most about 128 points.
AVATAR_SIDES = (256, 96)

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


class ImageTooComplex(ApplicationError):
    code = "image_too_complex"
    default_detail = "The image would take too long to decode; save it again as a plain JPEG."


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


@dataclass(frozen=True)
class Inspected:
    """What an upload's header says, read without decoding a pixel."""

    content_type: str
    width: int  # as shown: EXIF's orientation applied
    height: int
    taken_at: datetime | None


@dataclass(frozen=True)
class ProcessedAvatar:
    large: Rendition
    thumb: Rendition


def check_size(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if size > max_bytes:
        raise FileTooLarge(f"The file is {size} bytes; the limit is {max_bytes}.")
    if size == 0:
        raise UnsupportedImage("The file is empty.")


# EXIF orientations that turn the picture a quarter: width and height swap when shown.
_QUARTER_TURNS = {5, 6, 7, 8}
# How each EXIF orientation is undone (as ImageOps.exif_transpose does it).
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION = 0x0112


def inspect(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels_per_byte: int = DEFAULT_MAX_PIXELS_PER_BYTE,
) -> Inspected:
    """The checks `process` makes before it decodes: the type by content, the size, the pixel
    caps and the decode bound, at the cost of reading headers (microseconds, no pixels), so an
    upload can be accepted at once and processed later. Raises what `process` raises for a
    bad header; damaged pixel data shows only when `process` decodes them."""
    image = _checked(data, max_pixels, max_bytes, max_pixels_per_byte)
    width, height = _shown_size(image, _orientation(image))
    return Inspected(
        content_type=FORMATS[image.format][0],
        width=width,
        height=height,
        taken_at=_taken_at(image),
    )


def process(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels_per_byte: int = DEFAULT_MAX_PIXELS_PER_BYTE,
) -> ProcessedImage:
    """Check and clean an uploaded image. Raises FileTooLarge, ImageTooLarge,
    ImageTooComplex, UnsupportedImage."""
    image = _checked(data, max_pixels, max_bytes, max_pixels_per_byte)
    fmt = image.format
    taken_at = _taken_at(image)
    if fmt == "JPEG" and image.mode in ("RGB", "L"):
        # NotPlain comes before the fast path touches the image: it goes on from here as read.
        with contextlib.suppress(jpeg.NotPlain):  # damaged, or colours to convert
            return _process_jpeg(data, image, taken_at)

    try:
        ImageOps.exif_transpose(image, in_place=True)
        image, icc_profile = _in_kept_colours(image, image.info.get("icc_profile"))
        image = _without_metadata(image, fmt)
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise UnsupportedImage() from exc

    content_type, extension = FORMATS[fmt]
    original = Rendition(_encode(image, fmt, icc_profile), content_type, extension)
    # Derivatives are JPEG, the one format every WeChat client shows; the thumbnail is made
    # from the large rendition, which is much cheaper than from the full-size original.
    large_image = _shrink(image, LARGE_SIDE)
    large = Rendition(_encode(large_image, "JPEG", icc_profile, quality=85), "image/jpeg", "jpg")
    # The thumbnail carries no profile: its pixels are converted to sRGB, which is what a
    # viewer assumes without one.
    thumb_image = _to_srgb(_shrink(large_image, THUMB_SIDE), icc_profile)
    thumb = Rendition(_encode(thumb_image, "JPEG", None, quality=85), "image/jpeg", "jpg")
    return ProcessedImage(
        original=original,
        large=large,
        thumb=thumb,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
        taken_at=taken_at,
    )


def _process_jpeg(data: bytes, image: Image.Image, taken_at) -> ProcessedImage:
    """A phone's JPEG at a fraction of the cost of `process`'s general path: the original is
    the uploaded file with its metadata segments dropped (media.jpeg: the compressed picture
    byte for byte, no re-encode, the orientation kept as the only tag), and the derivatives
    are decoded at the smallest DCT scale that still covers the large size (`draft`), so the
    full-size pixels are never in memory. Raises jpeg.NotPlain for a file it does not take."""
    icc_profile = image.info.get("icc_profile")
    if icc_profile and len(icc_profile) > MAX_ICC_BYTES:
        raise jpeg.NotPlain("an oversized profile: its colours are converted")
    kept_icc = icc_profile if _valid_profile(icc_profile) is not None else None
    orientation = _orientation(image)
    original = jpeg.without_metadata(data, orientation=orientation, keep_icc=bool(kept_icc))
    shown = _shown_size(image, orientation)  # of the original: before `draft` shrinks it
    width, height = image.size
    longest = max(width, height)
    if longest > LARGE_SIDE:
        image.draft(image.mode, (-(-width * LARGE_SIDE // longest),
                                 -(-height * LARGE_SIDE // longest)))  # fmt: skip
    try:
        image.load()
        large_image = _shrink(image, LARGE_SIDE)  # then turned: fewer pixels to move
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise UnsupportedImage() from exc
    if orientation in _TURNS:
        large_image = large_image.transpose(_TURNS[orientation])
    large = Rendition(_encode(large_image, "JPEG", kept_icc, quality=85), "image/jpeg", "jpg")
    thumb_image = _to_srgb(_shrink(large_image, THUMB_SIDE), kept_icc)
    thumb = Rendition(_encode(thumb_image, "JPEG", None, quality=85), "image/jpeg", "jpg")
    return ProcessedImage(
        original=Rendition(original, "image/jpeg", "jpg"),
        large=large,
        thumb=thumb,
        width=shown[0],
        height=shown[1],
        sha256=hashlib.sha256(data).hexdigest(),
        taken_at=taken_at,
    )


def process_avatar(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels_per_byte: int = DEFAULT_MAX_PIXELS_PER_BYTE,
) -> ProcessedAvatar:
    """An avatar from an uploaded image: checked as a photo is, turned upright, cropped to its
    centre square and made into two sRGB JPEGs (AVATAR_SIDES) with no metadata at all. Raises
    what `process` raises."""
    image = _checked(data, max_pixels, max_bytes, max_pixels_per_byte)
    large_side, thumb_side = AVATAR_SIDES
    try:
        ImageOps.exif_transpose(image, in_place=True)
        icc_profile = image.info.get("icc_profile")
        image = _without_metadata(image, image.format)
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        centre = (left, top, left + side, top + side)
        large_image = _to_srgb(_shrink(image, large_side, box=centre), icc_profile)
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise UnsupportedImage() from exc
    thumb_image = _shrink(large_image, thumb_side)
    return ProcessedAvatar(
        large=Rendition(_encode(large_image, "JPEG", None, quality=85), "image/jpeg", "jpg"),
        thumb=Rendition(_encode(thumb_image, "JPEG", None, quality=85), "image/jpeg", "jpg"),
    )


def _checked(data: bytes, max_pixels: int, max_bytes: int, max_pixels_per_byte: int):
    """The image as opened (headers read, no pixels decoded) once it passed every check made
    before decoding: the size, the pixel caps, and a JPEG's scan count."""
    check_size(len(data), max_bytes)
    image = _open(data, max_pixels, max_pixels_per_byte)
    if image.format == "JPEG" and jpeg_scans(data, stop_after=MAX_JPEG_SCANS) > MAX_JPEG_SCANS:
        raise ImageTooComplex(f"The JPEG has more than {MAX_JPEG_SCANS} scans.")
    return image


def _orientation(image: Image.Image) -> int | None:
    """EXIF's orientation (1 to 8), or None: none, a nonsense value or a malformed EXIF block
    (the picture is shown as stored)."""
    try:
        orientation = image.getexif().get(_ORIENTATION)
    except Exception:
        return None
    return orientation if orientation in range(1, 9) else None


def _shown_size(image: Image.Image, orientation: int | None) -> tuple[int, int]:
    """Width and height as the picture is shown, its orientation applied."""
    width, height = image.size
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def _open(data: bytes, max_pixels: int, max_pixels_per_byte: int) -> Image.Image:
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
    pixels = image.width * image.height
    if pixels > max_pixels:
        raise ImageTooLarge(
            f"The image is {image.width}x{image.height} pixels; the limit is {max_pixels} pixels."
        )
    if pixels > RATIO_FREE_PIXELS and pixels > max_pixels_per_byte * len(data):
        raise ImageTooLarge(
            f"The image claims {image.width}x{image.height} pixels in {len(data)} bytes; "
            "a photo that large needs a larger file."
        )
    if getattr(image, "n_frames", 1) > 1:
        raise UnsupportedImage("Animated images are not accepted; send a still photo.")
    return image


def jpeg_scans(data: bytes, *, stop_after: int) -> int:
    """How many scans (SOS segments) a JPEG's own marker stream holds, counting no further
    than `stop_after` + 1. Segments are skipped by their length, so a JPEG embedded in an
    APPn segment (an EXIF thumbnail) does not count; entropy-coded data is skipped to the next
    marker (a 0xFF not followed by a stuffed zero, a restart marker or a fill byte)."""
    if (counted := data.count(b"\xff\xda")) <= stop_after:  # the common case, at C speed
        return counted
    pos, end, scans = 2, len(data), 0
    while pos + 4 <= end and scans <= stop_after:
        if data[pos] != 0xFF:
            break  # damaged: the decoder will say so
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker != 0xDA:
            continue
        scans += 1
        while (pos := data.find(b"\xff", pos)) != -1 and pos + 1 < end:
            following = data[pos + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7:
                pos += 2
            elif following == 0xFF:
                pos += 1
            else:
                break  # the next marker
        else:
            break
    return scans


def _valid_profile(icc_profile: bytes | None):
    """The profile as ImageCms reads it, or None for none, a damaged one or a huge one."""
    if not icc_profile or len(icc_profile) > MAX_ICC_BYTES:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _in_kept_colours(image: Image.Image, icc_profile: bytes | None):
    """The image and the profile its renditions carry: a valid small profile as it came; a
    valid but oversized one converted away into sRGB pixels; a damaged one dropped."""
    if not icc_profile:
        return image, None
    if len(icc_profile) <= MAX_ICC_BYTES:
        return (image, icc_profile) if _valid_profile(icc_profile) else (image, None)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image, None
    return _convert(image, source), None


_SRGB = ImageCms.createProfile("sRGB")


def _convert(image: Image.Image, source) -> Image.Image:
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    try:
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except ImageCms.PyCMSError:  # a profile for another colour space (CMYK, grey): as is
        return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    profile = _valid_profile(icc_profile)
    return _convert(image, profile) if profile is not None else image


_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>[01][0-9]|2[0-3]):(?P<minutes>[0-5][0-9])", re.ASCII)


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
    """EXIF's "+08:00"; anything else (a camera's zeros, a forged "+99:00") is UTC."""
    match = _OFFSET.fullmatch(raw.strip("\x00")) if isinstance(raw, str) else None
    if match is None:
        return UTC
    sign = 1 if match["sign"] == "+" else -1
    return timezone(sign * timedelta(hours=int(match["hours"]), minutes=int(match["minutes"])))


def _without_metadata(image: Image.Image, fmt: str) -> Image.Image:
    """A fresh image holding only pixels: no EXIF, XMP, GPS, comments or text chunks."""
    if image.mode == "1":
        mode = "L"  # one byte a pixel, not three: bilevel images stay grey
    elif fmt == "JPEG":
        mode = image.mode if image.mode in ("RGB", "L") else "RGB"
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if image.mode in ("RGB", "RGBA", "L", "LA"):
            mode = image.mode
        else:
            mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    # A new image carries no `info` and no EXIF: nothing can leak into the saved file. Pasting
    # copies the pixels once (no intermediate bytes object).
    clean = Image.new(mode, image.size)
    clean.paste(image)
    return clean


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


def _shrink(image: Image.Image, side: int, *, box=None) -> Image.Image:
    """A copy no larger than side x side, in RGB (transparency flattened onto white), resized
    straight from the image (no full-size copy): a cheap reduce first, then Lanczos. With
    `box`, of that part of the image only."""
    width, height = (box[2] - box[0], box[3] - box[1]) if box else image.size
    scale = min(1.0, side / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    if small.mode in ("RGBA", "LA"):
        background = Image.new("RGB", small.size, (255, 255, 255))
        background.paste(small, mask=small.getchannel("A"))
        return background
    return small if small.mode == "RGB" else small.convert("RGB")
