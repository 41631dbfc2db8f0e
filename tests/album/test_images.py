"""The image pipeline on its own: no database, no storage."""

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import Image, ImageOps

from media import images
from tests.album import pictures


def reopen(rendition: images.Rendition) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def shown(rendition: images.Rendition) -> Image.Image:
    """As a viewer shows it: turned by its EXIF orientation."""
    return ImageOps.exif_transpose(reopen(rendition))


def test_phone_jpeg_is_shown_upright_and_stripped():
    result = images.process(pictures.jpeg(800, 600, orientation=6))

    assert (result.width, result.height) == (600, 800)
    for rendition in (result.original, result.large, result.thumb):
        image = reopen(rendition)
        assert dict(image.getexif()) in ({}, {0x0112: 6})  # the orientation, or nothing
        assert not image.getexif().get_ifd(0x8825)  # no GPS
        assert "xmp" not in image.info
        assert shown(rendition).width < shown(rendition).height
    assert dict(reopen(result.large).getexif()) == {}  # derivatives are turned for real
    # The dark half was on the left; after a 90 degree turn clockwise it is on top.
    original = shown(result.original)
    assert sum(original.getpixel((300, 10))) < sum(original.getpixel((300, 790)))


def test_a_jpeg_original_keeps_its_picture_byte_for_byte_and_loses_every_other_segment():
    sent = pictures.jpeg(800, 600, orientation=1) + b"PK\x03\x04 a zip after the image"

    original = images.process(sent).original.data

    assert reopen(images.Rendition(original, "image/jpeg", "jpg")).tobytes() == (
        reopen(images.Rendition(sent, "image/jpeg", "jpg")).tobytes()
    )  # the same pixels: the compressed data was not touched
    assert b"Exif" not in original  # nor its GPS position
    assert b"PK" not in original
    assert len(original) < len(sent)
    assert original.endswith(b"\xff\xd9")


def test_derivatives_fit_their_boxes():
    result = images.process(pictures.jpeg(3000, 2000, metadata=False))

    assert (result.width, result.height) == (3000, 2000)  # the original's, not the decoded
    assert reopen(result.large).size == (1600, 1067)
    assert reopen(result.thumb).size == (400, 267)


def test_small_images_are_not_enlarged():
    result = images.process(pictures.png(120, 80))

    assert reopen(result.thumb).size == (120, 80)


def test_transparent_png_keeps_alpha_in_original_and_flattens_derivatives():
    result = images.process(pictures.png(alpha=True))

    assert reopen(result.original).mode == "RGBA"
    assert reopen(result.thumb).mode == "RGB"


def test_palette_png_keeps_its_colours():
    image = Image.new("P", (50, 50))
    image.putpalette([255, 0, 0] * 256)
    out = io.BytesIO()
    image.save(out, "PNG")

    result = images.process(out.getvalue())

    assert reopen(result.original).convert("RGB").getpixel((10, 10)) == (255, 0, 0)


def test_cmyk_jpeg_is_stored_as_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (64, 64), (0, 255, 255, 0)).save(out, "JPEG")

    result = images.process(out.getvalue())

    assert reopen(result.original).mode == "RGB"


def test_taken_at_uses_the_recorded_offset():
    out = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8769).update({36867: "2024:05:01 18:30:00", 36881: "+08:00"})
    Image.new("RGB", (10, 10)).save(out, "JPEG", exif=exif.tobytes())

    taken = images.process(out.getvalue()).taken_at

    assert taken == datetime(2024, 5, 1, 18, 30, tzinfo=timezone(timedelta(hours=8)))
    assert taken.astimezone(UTC).hour == 10


@pytest.mark.parametrize("offset", ["+99:00", "+08:99", "+٠٨:00", "08:00", "+8:00", ""])
def test_an_impossible_exif_offset_reads_as_utc(offset):
    out = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8769).update({36867: "2024:05:01 18:30:00", 36881: offset})
    Image.new("RGB", (10, 10)).save(out, "JPEG", exif=exif.tobytes())

    assert images.process(out.getvalue()).taken_at == datetime(2024, 5, 1, 18, 30, tzinfo=UTC)


def test_nonsense_exif_date_is_ignored():
    out = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "0000:00:00 00:00:00"
    Image.new("RGB", (10, 10)).save(out, "JPEG", exif=exif.tobytes())

    assert images.process(out.getvalue()).taken_at is None


def test_sha256_is_of_the_uploaded_bytes():
    import hashlib

    data = pictures.webp()

    assert images.process(data).sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", images.UnsupportedImage),
        (b"GIF89a not really", images.UnsupportedImage),
        (pictures.gif(), images.UnsupportedImage),
        (pictures.png_bomb(), images.ImageTooLarge),
    ],
)
@pytest.mark.parametrize("check", [images.inspect, images.process])
def test_bad_input_raises_a_typed_error(data, error, check):
    with pytest.raises(error):
        check(data)


@pytest.mark.parametrize(
    "bomb",
    [
        pictures.png_bomb(),  # 30000 x 30000 in a few hundred kilobytes
        pictures.png_bomb(side=7000),  # 49 MP: over the phone-sized default
        pictures.claiming(pictures.jpeg(), 30000, 30000),
        pictures.claiming(pictures.jpeg(), 4500, 4500),  # under the pixel cap, in a few KB
        pictures.claiming(pictures.webp(), 16383, 16383),
        pictures.claiming(pictures.webp(), 4500, 4500),
    ],
    ids=["png", "png-49mp", "jpeg", "jpeg-ratio", "webp", "webp-ratio"],
)
@pytest.mark.parametrize("check", [images.inspect, images.process])
def test_bombs_are_refused_from_their_header(bomb, check):
    with pytest.raises(images.ImageTooLarge):
        check(bomb)


def test_inspecting_reads_what_the_photo_will_be_from_its_header():
    seen = images.inspect(pictures.jpeg(800, 600, orientation=6))
    made = images.process(pictures.jpeg(800, 600, orientation=6))

    assert (seen.width, seen.height) == (made.width, made.height) == (600, 800)
    assert seen.content_type == made.original.content_type == "image/jpeg"
    assert seen.taken_at == made.taken_at == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)


def test_damaged_pixels_pass_inspection_and_fail_processing():
    damaged = pictures.jpeg()[:2000]  # a whole header, then the data stops

    assert images.inspect(damaged).width == 640
    with pytest.raises(images.UnsupportedImage):
        images.process(damaged)


def test_a_decode_time_bomb_is_refused_on_inspection():
    with pytest.raises(images.ImageTooComplex):
        images.inspect(pictures.scan_bomb())


def test_a_small_flat_screenshot_is_not_mistaken_for_a_bomb():
    black = io.BytesIO()
    Image.new("RGB", (1170, 2532)).save(black, "PNG")  # 3 MP in a few kilobytes

    assert images.process(black.getvalue()).width == 1170


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_images_are_refused(fmt):
    with pytest.raises(images.UnsupportedImage, match="Animated"):
        images.process(pictures.animated(fmt))


@pytest.mark.parametrize("check", [images.inspect, images.process])
def test_size_limit_is_checked_first(check):
    with pytest.raises(images.FileTooLarge):
        check(pictures.jpeg(), max_bytes=100)


def test_the_fast_jpeg_path_makes_derivatives_that_look_like_a_full_decodes(monkeypatch):
    from tests.album.similarity import ssim

    photo = pictures.photo_like_jpeg(3200, 2400)
    fast = images.process(photo)
    monkeypatch.setattr(images, "_process_jpeg", _refuse)  # every file the general way
    full = images.process(photo)

    assert fast.original.data != full.original.data  # one kept, one re-encoded
    for name in ("large", "thumb"):
        assert ssim(reopen(getattr(fast, name)), reopen(getattr(full, name))) >= 0.98


def _refuse(*args):
    raise images.jpeg.NotPlain("the general path, for comparison")
