"""Test images made on the fly: phone-like JPEGs with EXIF and GPS, PNGs, bombs, junk.

Like a phone's shots, no two calls give the same file (the album keeps one copy of a file):
a test that means the same file twice keeps the bytes of one call."""

import io
import itertools
import struct
import zlib

from PIL import Image, ImageFilter

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
ORIENTATION, DATETIME_ORIGINAL = 0x0112, 36867
_shots = itertools.count(1)


def _mark(image: Image.Image) -> None:
    """One corner pixel of its own, so this call's file differs from every other's."""
    n = next(_shots)
    image.putpixel((image.width - 1, image.height - 1), (n % 251, n // 251 % 251, 7))


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description about="secret-location"/></rdf:RDF></x:xmpmeta>'
)


def jpeg(width: int = 640, height: int = 480, *, orientation: int = 1, metadata: bool = True):
    """A JPEG as a phone makes it: EXIF with the time taken and a GPS position, and XMP."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    # A dark left half, so a test can tell the image was rotated.
    image.paste((10, 10, 10), (0, 0, width // 2, height))
    out = io.BytesIO()
    serial = next(_shots)
    if not metadata:  # no EXIF, XMP or GPS; the file's own comment tells it apart
        image.save(out, "JPEG", quality=90, comment=f"shot-{serial:08d}")
        return out.getvalue()
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = "2024:05:01 10:30:00"
    exif.get_ifd(EXIF_IFD)[0xA420] = f"shot-{serial:08d}"  # ImageUniqueID
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (31.0, 14.0, 0.0), "E", (121.0, 28.0, 0.0)
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), xmp=XMP)
    return out.getvalue()


def noisy_jpeg(width: int, height: int) -> bytes:
    """A JPEG with texture, sized like a photo file (noise does not compress like a flat fill)."""
    out = io.BytesIO()
    Image.effect_noise((width, height), 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def photo_like_jpeg(width: int, height: int) -> bytes:
    """A JPEG with a photo's mix of smooth areas and detail: a gradient sky over a textured
    ground, softened as a lens softens it (a test of how derivatives look needs both)."""
    sky = Image.linear_gradient("L").resize((width, height // 2)).convert("RGB")
    texture = Image.effect_noise((width, height - height // 2), 40)
    ground = texture.filter(ImageFilter.GaussianBlur(2)).convert("RGB")
    image = Image.new("RGB", (width, height))
    image.paste(sky, (0, 0))
    image.paste(ground, (0, height // 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def png(width: int = 300, height: int = 200, *, alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (0, 128, 255, 128))
    _mark(image)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (0, 200, 0))
    _mark(image)
    image.save(out, "WEBP")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


def png_bomb(side: int = 30000) -> bytes:
    """A tiny file that claims side x side pixels: one deflate stream of zero rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def claiming(data: bytes, width: int, height: int) -> bytes:
    """A small JPEG or WebP whose header claims width x height pixels: what a bomb looks like
    to a decoder before it decodes (the pixel data stays the small image's)."""
    if data[:2] == b"\xff\xd8":
        at = data.index(b"\xff\xc0") + 5  # baseline frame header: length, precision, then H, W
        return data[:at] + struct.pack(">HH", height, width) + data[at + 4 :]
    at = data.index(b"\x9d\x01\x2a") + 3  # VP8 key frame start code, then 14-bit W and H
    return data[:at] + struct.pack("<HH", width, height) + data[at + 4 :]


def animated(fmt: str) -> bytes:
    """A two-frame animated PNG or WebP."""
    frames = [Image.new("RGB", (64, 64), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def scan_bomb(side: int = 1000, repeats: int = 3000) -> bytes:
    """A progressive JPEG whose last scan is repeated: each copy is another decoding pass over
    every pixel, a few hundred bytes each (a decode-time bomb)."""
    out = io.BytesIO()
    Image.new("RGB", (side, side), (90, 120, 200)).save(out, "JPEG", progressive=True)
    data = out.getvalue()
    last = data.rindex(b"\xff\xda")
    return data[:last] + data[last:-2] * repeats + data[-2:]


def progressive_jpeg(side: int = 800) -> bytes:
    out = io.BytesIO()
    noise = Image.effect_noise((side, side), 64).convert("RGB")
    noise.save(out, "JPEG", progressive=True, quality=90)
    return out.getvalue()


def with_profile(profile: bytes, width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "JPEG", icc_profile=profile)
    return out.getvalue()


def display_p3_like_profile() -> bytes:
    """A real, small RGB profile (Pillow's built-in sRGB, as a phone's Display P3 stands)."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
