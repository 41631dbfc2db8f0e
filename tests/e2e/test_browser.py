"""What people see in a browser: the landing page a camera opens, the admin, the API docs."""

import io

import pytest
import zxingcpp
from PIL import Image

from album import services as album_services
from shortlinks import services as link_services
from tests.album import pictures
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_album(photo_storage):
    owner = UserFactory(nickname="Ada")
    album = album_services.album_create(owner=owner, title="Summer in Dali", visibility="members")
    photo = album_services.photo_upload(album=album, uploader=owner, data=pictures.jpeg())
    link, _ = link_services.album_share(album=album, actor=owner, role="viewer")
    return album, photo, link


def loaded(page, selector: str) -> bool:
    """The image was fetched and decoded (a broken image has no natural width)."""
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


@pytest.mark.parametrize("photo_storage", ["s3"], indirect=True)
def test_the_landing_page_shows_the_album_and_a_qr_code_that_scans(
    visit, live_server, shared_album, settings
):
    album, _, link = shared_album
    page = visit.page

    page.goto(f"{live_server.url}/s/{link.code}")
    page.wait_for_load_state("networkidle")
    visit.screenshot("landing")

    assert page.inner_text("h1") == "Summer in Dali"
    assert "Ada" in page.inner_text(".card")
    assert loaded(page, "img.cover")
    assert loaded(page, "img.qr")
    qr = Image.open(io.BytesIO(page.locator("img.qr").screenshot()))
    decoded = zxingcpp.read_barcodes(qr)
    assert [d.text for d in decoded] == [f"{settings.SHORTLINK_BASE_URL.upper()}/S/{link.code}"]
    assert visit.outside_requests() == []


@pytest.mark.parametrize("photo_storage", ["s3"], indirect=True)
def test_an_operator_sees_the_qr_preview_and_photo_thumbnails(
    visit, live_server, shared_album, operator
):
    _, photo, link = shared_album
    page = visit.page

    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/shortlinks/shortlink/?q={link.code}")
    page.click(f"text={link.code}")
    page.wait_for_load_state("networkidle")
    visit.screenshot("admin-shortlink")
    qr_loaded = loaded(page, "img[alt='QR code']")
    page.goto(f"{live_server.url}/admin/album/photo/{photo.pk}/change/")
    page.wait_for_load_state("networkidle")
    visit.screenshot("admin-photo")

    assert qr_loaded
    assert loaded(page, f"img[src*='{photo.thumb.name}']")
    assert visit.outside_requests() == []


def test_the_api_docs_list_the_endpoints(visit, live_server):
    page = visit.page

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    visit.screenshot("api-docs")

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) >= 30
    assert any("/api/v1/shortlinks/{code}" in p.replace("\u200b", "") for p in paths)
    assert visit.outside_requests() == []
