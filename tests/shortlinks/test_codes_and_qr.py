"""Codes and QR images on their own, decoded by a real QR reader (zxing-cpp)."""

import io
import json

import pytest
import zxingcpp
from PIL import Image, ImageFilter

from shortlinks import codes, qr

BASE = "https://wx.example.com"


def decode(png: bytes) -> str | None:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found[0].text if found else None


def cheap_camera(png: bytes) -> bytes:
    """What a low-end phone sees: the code averaged down to 64x64 sensor pixels, out of focus."""
    image = Image.open(io.BytesIO(png)).convert("L").resize((64, 64), Image.Resampling.BOX)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_codes_are_32_crockford_characters_and_unique():
    made = {codes.generate() for _ in range(1000)}

    assert len(made) == 1000
    assert all(len(c) == 32 and set(c) <= set(codes.ALPHABET) for c in made)
    assert not set("ILOU") & set("".join(made))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abcdefghjkmnpqrstvwxyz0123456789", "ABCDEFGHJKMNPQRSTVWXYZ0123456789"),
        ("o" * 32, "0" * 32),
        ("iL" * 16, "1" * 32),
        ("U" * 32, None),
        ("A" * 31, None),
        ("A" * 33, None),
        ("A" * 31 + "-", None),
    ],
)
def test_normalise_reads_case_and_lookalikes(raw, expected):
    assert codes.normalise(raw) == expected


@pytest.mark.parametrize("base", ["https://wx.example.com", "https://ab.example-24.cn"])
def test_link_qr_is_version_3_or_lower_at_m(base):
    assert len(base) <= 24
    _, version = qr.matrix(qr.link_text(base, codes.generate()), ec="M")

    assert version <= 3


@pytest.mark.parametrize("ec", ["L", "M", "Q", "H"])
@pytest.mark.parametrize("size", [64, 150, 400, 1024])
def test_png_decodes_at_every_level_and_size(ec, size):
    text = qr.link_text(BASE, codes.generate())

    png = qr.png(text, size=size, ec=ec)

    assert Image.open(io.BytesIO(png)).size == (size, size)
    assert decode(png) == text


def test_short_link_survives_a_cheap_camera_where_the_full_payload_does_not():
    code = codes.generate()
    short = qr.png(qr.link_text(BASE, code), size=400)
    payload = {
        "page": "pages/album/index",
        "params": {
            "album_id": 123456,
            "album_title": "Grandma's 80th birthday, Hangzhou, October",
            "owner_nickname": "Xiao Ming",
            "role": "contributor",
            "invited_by": "oAbCdEfGhIjKlMnOpQrStUvWxYz01",
            "expires_at": "2026-12-31T23:59:59+08:00",
            "cover": "https://cdn.example.com/photos/abcdef0123456789/thumb.jpg",
        },
    }
    full = qr.png(json.dumps(payload), size=400)

    assert decode(cheap_camera(short)) == qr.link_text(BASE, code)
    assert decode(full) is not None  # readable when big and sharp...
    assert decode(cheap_camera(full)) is None  # ...but not on a cheap phone


def test_svg_is_sized_and_self_contained():
    svg = qr.svg(qr.link_text(BASE, codes.generate()), size=256, margin=2).decode()

    assert svg.startswith("<svg")
    assert 'width="256"' in svg
    assert "http" not in svg.split("xmlns", 1)[1].split(">", 1)[1]  # no outside references


def test_the_schema_states_the_qr_options_the_server_uses_by_default(api, db):
    from shortlinks.serializers import QrOptionsSerializer

    schema = api.get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/s/{code}/qr.png"]["get"]["parameters"]
    stated = {p["name"]: p["schema"].get("default") for p in parameters if p["in"] == "query"}

    defaults = {name: field.default for name, field in QrOptionsSerializer().fields.items()}
    assert stated == defaults


def test_qr_variants_are_rendered_not_kept_and_limited_per_address(client, link, settings):
    from django.core.cache import cache

    from shortlinks.views import qr_cache_key

    settings.QR_RENDERS_PER_MINUTE = 3

    def kept(size: int, margin: int) -> bool:
        options = {"size": size, "margin": margin, "ec": "M"}
        return cache.get(qr_cache_key("png", link.code, options, settings.SHORTLINK_BASE_URL)) \
            is not None  # fmt: skip

    variants = [client.get(f"/s/{link.code}/qr.png?size={300 + n}&margin=1") for n in range(4)]
    usual = [client.get(f"/s/{link.code}/qr.png"), client.get(f"/s/{link.code}/qr.png?size=800")]
    elsewhere = client.get(f"/s/{link.code}/qr.png?size=333", REMOTE_ADDR="10.9.9.9")

    assert [r.status_code for r in variants] == [200, 200, 200, 429]
    assert variants[-1]["Retry-After"] == "60"
    assert [r.status_code for r in usual] == [200, 200]  # the kept images are not limited
    assert elsewhere.status_code == 200
    assert (kept(400, 4), kept(800, 4)) == (True, True)
    assert not any(kept(300 + n, 1) for n in range(3))
