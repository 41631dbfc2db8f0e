"""No English left in the admin in Chinese: every changelist, change form, add form and
action message, rendered in zh-Hans over a database holding one of everything, shows no
English words but the names of things (OpenID, SHA-256) and the values users and codes wrote."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from accounts.models import Avatar
from album import services as album_services
from album.models import Photo, Upload
from audit.services import log_action
from comments.models import Comment
from idempotency.models import IdempotencyKey
from outbox import services as outbox
from outbox.models import Message
from privacy.models import Export
from reports import services as reports
from tests.factories import AlbumFactory, CommentFactory, LinkFactory, PhotoFactory, ShareFactory

pytestmark = pytest.mark.django_db

# Names that stay as they are in Chinese, and the formats Django writes.
KEPT = {"OpenID", "UnionID", "SHA", "JSON", "JPEG", "URL", "Control", "Command", "Mac", "LDAP",
        "image", "jpeg", "null",
        # Django's own icons' alt texts, written into its templates, not into its catalogue
        "True", "False", "Search"}  # fmt: skip
# The standing actors' nicknames and the signed-in operator's username: what people wrote.
PEOPLE = {"owner", "member", "operator", "openid"}  # their openids are openid-<nickname>
# Columns and fields whose values are codes (action names, object keys, JSON) or user data.
CODES = {"action", "data", "object_type", "object_id", "task", "args", "last_error", "page",
         "params", "path", "method", "content_type", "fingerprint", "headers", "key", "sha256",
         "check_trace_id", "original", "large", "thumb", "wxacode_key", "filename", "code",
         "actor_label", "actor", "who", "openid", "unionid", "username", "open_key", "backend",
         "file",
         "user", "owner", "uploader", "author", "reporter", "creator", "album", "photo",
         "comment", "parent", "__str__", "title", "body", "short_body", "caption",
         "nickname", "detail", "via_link", "resolution", "removed_by", "reviewed_by",
         "resolved_by", "held_text", "description", "email", "wxacode_type", "reason",
         "comment_id_ref", "password", "first_name", "last_name",
         "wxacode_error", "id", "user_permissions", "groups", "short_error"}  # fmt: skip


def english(html: str) -> set[str]:
    """The English words a reader sees on the page (its title too), less the values of code
    columns and fields, and filter choices among such values."""
    page = BeautifulSoup(html, "html.parser")
    # (a row's checkbox is labelled with the row's name; <bdi> holds values, such as the few
    # characters of a password hash's salt the user's page shows)
    for hidden in page.select("script, style, select, textarea, td.action-checkbox, bdi"):
        hidden.decompose()
    for name in CODES:
        for cell in page.select(f"td.field-{name}, th.field-{name}, .field-{name} .readonly"):
            cell.decompose()
        for choice in page.select(f'a[href*="?{name}="], a[href*="&{name}="]'):
            choice.decompose()
    # An object's name in the title and breadcrumbs is its own (a link's code, a task's name).
    for crumb in page.select(".breadcrumbs, #content > h2, title"):
        crumb.decompose()
    shown = [page.get_text(" ")]
    shown += [tag[attr] for attr in ("title", "placeholder", "aria-label", "alt")
              for tag in page.select(f"[{attr}]")]  # fmt: skip
    words = set(re.findall(r"[A-Za-z][A-Za-z']{2,}", " ".join(shown)))
    return words - KEPT - PEOPLE


@pytest.fixture
def everything(owner, member, staff, settings, tmp_path):
    """One of each kind of row the admin shows, Chinese where a person wrote it."""
    settings.MEDIA_ROOT = tmp_path
    album = AlbumFactory(owner=owner, title="春游", members=[member])
    PhotoFactory(album=album, review=Photo.Review.REVIEW, check_label=20002)
    photo = PhotoFactory(album=album)
    CommentFactory(album=album, photo=photo, author=member, body="好看")
    Comment.objects.update(review=Comment.Review.REVIEW)
    Avatar.objects.create(user=member, large="a/l.jpg", thumb="a/t.jpg", review="risky")
    ShareFactory(album=album)
    LinkFactory(creator=owner)
    Upload.objects.create(album=album, user=owner, key="u/k.jpg", content_type="image/jpeg",
                          filename="p.jpg", expires_at="2030-01-01T00:00:00Z")  # fmt: skip
    reports.report_create(reporter=member, target_type="photo", target_id=photo.pk,
                          reason="porn", detail="不合适")  # fmt: skip
    album_services.member_remove(album=album, actor=owner, user_id=member.pk)
    with transaction.atomic():
        log_action("album.created", actor=owner, obj=album)
        outbox.enqueue("album.check_photo", photo.pk)
    Message.objects.update(state=Message.State.FAILED, last_error="WeChatError: -1")
    IdempotencyKey.objects.create(user=owner, key="k-1", fingerprint="f", method="POST",
                                  path="/api/v1/albums", status_code=201)  # fmt: skip
    Export.objects.create(user=owner)
    return album


def pages():
    """Every admin page of a registered model: its list, an object's page, its add page."""
    for model in admin.site._registry:
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{name}_changelist")
        obj = model._default_manager.first()
        if obj is not None:
            yield reverse(f"{name}_change", args=[obj.pk])
        yield reverse(f"{name}_add")


def test_every_admin_page_reads_chinese(staff_client, everything):
    left = {}
    for url in ["/admin/", reverse("desk:index"), *pages()]:
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
        if page.status_code == 403:  # an add page the admin does not offer
            continue
        assert page.status_code == 200, url
        if found := english(page.content.decode()):
            left[url] = sorted(found)
    assert not left, "\n".join(f"{url}: {' '.join(words)}" for url, words in left.items())


def test_action_messages_read_chinese(staff_client, everything):
    photo = Photo.objects.get(review=Photo.Review.REVIEW)
    answer = staff_client.post(
        reverse("admin:album_photoinreview_changelist"),
        {"action": "approve", "_selected_action": [photo.pk]},
        HTTP_ACCEPT_LANGUAGE="zh-CN", follow=True,
    )  # fmt: skip

    assert "已通过 1 张照片。" in answer.content.decode()
    assert english(answer.content.decode()) == set()
