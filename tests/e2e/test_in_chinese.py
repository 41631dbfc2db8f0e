"""The pages operators and visitors read, looked at in Chinese (zh-CN) at a desktop's and a
phone's width: the moderation desk decides in place by click and by key, nothing is wider
than the screen or cut off, and no character renders as a tofu box (the font lacks it)."""

import pytest

from album import services as album_services
from album.models import Photo
from shortlinks import services as link_services
from tests.album import pictures
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Characters the page's fonts cannot draw come out as the font's "missing glyph" box: draw each
# CJK character the page shows in the font it is shown in, and compare it with a character no
# font has (U+10FFFD, private use).
TOFU = """() => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 40;
  const ink = canvas.getContext("2d", { willReadFrequently: true });
  const draw = (font, text) => {
    ink.clearRect(0, 0, 40, 40); ink.font = font; ink.fillText(text, 2, 30);
    return ink.getImageData(0, 0, 40, 40).data.join();
  };
  const missing = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!element || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    const font = `${style.fontWeight} 24px ${style.fontFamily}`;
    const box = draw(font, "\\u{10FFFD}");
    const cjk = node.textContent.match(/[\\u3400-\\u9fff\\uff00-\\uffef\\u3000-\\u303f]/g);
    for (const character of new Set(cjk || [])) {
      if (draw(font, character) === box) missing[character] = element.tagName;
    }
  }
  return missing;
}"""

# Boxes wider than the screen, and text cut off by its box (its content wider than it shows).
OVERFLOW = """(selector) => {
  const page = document.documentElement;
  const cut = [...document.querySelectorAll(selector)]
    .filter((e) => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1
                   && getComputedStyle(e).overflowX !== "visible")
    .map((e) => e.className || e.tagName);
  return { scroll: page.scrollWidth - window.innerWidth, cut };
}"""


def chinese(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    return context, context.new_page()


@pytest.fixture
def waiting(photo_storage):
    uploader = UserFactory(nickname="小林")
    album = album_services.album_create(owner=uploader, title="大理的夏天", visibility="members")
    photos = [album_services.photo_upload(album=album, uploader=uploader, data=pictures.jpeg())
              for _ in range(3)]  # fmt: skip
    Photo.objects.filter(pk__in=[p.pk for p in photos]).update(review="risky", check_label=20002)
    link, _ = link_services.album_share(album=album, actor=uploader, role="viewer")
    return album, photos, link


def looked_at(page, name: str, selector: str = "td, th, .desk-card p, .desk-card h3"):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    return page.evaluate(TOFU), page.evaluate(OVERFLOW, selector)


@pytest.mark.parametrize("photo_storage", ["s3"], indirect=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_desk_decides_in_place_in_chinese_and_fits_the_screen(
    browser,
    live_server,
    waiting,
    operator,
    viewport,
):
    _, photos, _ = waiting
    context, page = chinese(browser, viewport)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/desk/")
    page.wait_for_load_state("networkidle")
    tofu, overflow = looked_at(page, f"desk-{'phone' if viewport is PHONE else 'desktop'}")
    page.evaluate("window.stayed = true")  # gone if the page reloads

    page.keyboard.press("a")  # the first card, focused on arrival
    page.wait_for_selector(".desk-card.desk-done")
    page.keyboard.press("j")  # from the second card to the third
    page.keyboard.press("r")
    page.locator(".desk-card.desk-done").nth(1).wait_for()
    page.locator(".desk-card:not(.desk-done) button.desk-approve").click()  # the second
    page.locator(".desk-card.desk-done").nth(2).wait_for()
    statuses = page.locator(".desk-done .desk-status").all_inner_texts()
    stayed = page.evaluate("window.stayed === true")
    count = page.locator("[data-count]").first.inner_text()
    context.close()

    assert tofu == {}
    assert overflow == {"scroll": 0, "cut": []}
    assert stayed  # decided in place, no page load
    assert sorted(statuses) == ["已拒绝。", "已通过。", "已通过。"]
    assert count == "0"
    reviews = dict(Photo.objects.filter(pk__in=[p.pk for p in photos]).values_list("pk", "review"))
    assert [reviews[p.pk] for p in photos] == ["approved", "approved", "rejected"]


@pytest.mark.parametrize("photo_storage", ["s3"], indirect=True)
def test_the_landing_page_and_the_admin_index_read_chinese_without_tofu(
    browser,
    live_server,
    waiting,
    operator,
):
    _, _, link = waiting
    context, page = chinese(browser, PHONE)
    page.goto(f"{live_server.url}/s/{link.code}")
    page.wait_for_load_state("networkidle")
    landing = looked_at(page, "landing-zh-phone", "h1, p, a")
    text = page.inner_text("body")
    context.close()
    context, page = chinese(browser, DESKTOP)
    log_in(page, live_server.url)
    admin = looked_at(page, "admin-index-zh-desktop")
    index = page.inner_text("body")
    context.close()

    assert "打开微信" in text
    assert "审核台" in index
    assert "相册和照片" in index
    assert landing == ({}, {"scroll": 0, "cut": []})
    assert admin == ({}, {"scroll": 0, "cut": []})
