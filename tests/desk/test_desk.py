"""The moderation desk: everything waiting for staff on one page, decided in place (the page's
script posts and reads JSON; without it the form posts and the page comes back), through the
same services and activity log as everywhere else."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Avatar
from album.models import Album, Photo
from audit.models import LogEntry
from comments.models import Comment
from reports import services as reports
from reports.models import Report
from tests.factories import AlbumFactory, CommentFactory, PhotoFactory, StaffFactory

pytestmark = pytest.mark.django_db
DESK = "/admin/desk/"
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": "zh-CN"}


@pytest.fixture
def album(owner, member):
    return AlbumFactory(owner=owner, title="春游", members=[member])


@pytest.fixture
def waiting_photo(album, member):
    return PhotoFactory(album=album, uploader=member, review=Photo.Review.RISKY, check_label=20002)


def decide(client, kind, key, decision, **headers):
    return client.post(reverse("desk:decide"),
                       {"kind": kind, "key": key, "decision": decision, "next": DESK},
                       **(headers or JSON))  # fmt: skip


def test_the_desk_shows_a_waiting_photo_with_its_album_uploader_and_label_in_words(
    staff_client, waiting_photo
):
    page = staff_client.get(DESK, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert "相册「春游」中的照片" in page
    assert "member · openid-member" in page  # nickname and openid
    assert "微信标签：色情" in page
    assert 'value="approve"' in page
    assert 'value="reject"' in page


def test_the_desk_reads_english_to_english_operators(staff_client, waiting_photo):
    page = staff_client.get(DESK, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "WeChat&#x27;s label: pornography" in page
    assert "Moderation desk" in page


def test_approving_in_place_shows_the_photo_and_logs_the_operator(
    staff_client, staff, waiting_photo
):
    answer = decide(staff_client, "photo", waiting_photo.pk, "approve")

    assert answer.status_code == 200
    assert answer.json() == {"message": "已通过。"}
    waiting_photo.refresh_from_db()
    assert waiting_photo.review == Photo.Review.APPROVED
    assert LogEntry.objects.get(action="photo.approved").actor == staff
    assert "相册「春游」中的照片" not in staff_client.get(DESK).content.decode()


def test_a_second_decision_on_the_same_item_changes_nothing(staff_client, waiting_photo):
    decide(staff_client, "photo", waiting_photo.pk, "reject")

    again = decide(staff_client, "photo", waiting_photo.pk, "approve")

    assert again.status_code == 409
    waiting_photo.refresh_from_db()
    assert waiting_photo.review == Photo.Review.REJECTED


def test_without_the_script_the_form_posts_and_the_desk_comes_back(staff_client, waiting_photo):
    answer = decide(staff_client, "photo", waiting_photo.pk, "reject",
                    HTTP_ACCEPT_LANGUAGE="zh-CN")  # fmt: skip

    assert answer.status_code == 302
    assert answer["Location"] == DESK
    waiting_photo.refresh_from_db()
    assert waiting_photo.review == Photo.Review.REJECTED


def test_a_next_page_elsewhere_is_not_followed(staff_client, waiting_photo):
    answer = staff_client.post(reverse("desk:decide"), {
        "kind": "photo", "key": waiting_photo.pk, "decision": "approve",
        "next": "https://evil.example/"})  # fmt: skip

    assert answer["Location"] == DESK


def test_avatars_comments_texts_and_reports_are_decided_from_the_same_page(
    staff_client, album, owner, member, outsider
):
    avatar = Avatar.objects.create(user=member, large="a/l.jpg", thumb="a/t.jpg", review="review")
    member.held_avatar = avatar
    member.save(update_fields=["held_avatar"])
    photo = PhotoFactory(album=album)
    comment = CommentFactory(album=album, photo=photo, author=member, body="好看")
    Comment.objects.filter(pk=comment.pk).update(review=Comment.Review.REVIEW)
    Album.objects.filter(pk=album.pk).update(held_title="新标题")
    reports.report_create(reporter=member, target_type="photo", target_id=photo.pk,
                          reason="porn")  # fmt: skip

    page = staff_client.get(DESK, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert all(text in page for text in ("头像", "好看", "新标题", "被举报 1 次"))

    assert decide(staff_client, "avatar", avatar.pk, "approve").status_code == 200
    assert decide(staff_client, "comment", comment.pk, "reject").status_code == 200
    assert decide(staff_client, "album", album.pk, "approve").status_code == 200
    assert decide(staff_client, "report", f"photo:{photo.pk}", "reject").status_code == 200

    member.refresh_from_db()
    assert member.avatar_id == avatar.pk
    assert Comment.objects.get(pk=comment.pk).review == Comment.Review.REJECTED
    assert Album.objects.get(pk=album.pk).title == "新标题"
    assert Report.objects.get().status == Report.Status.UPHELD
    assert Photo.objects.get(pk=photo.pk).review == Photo.Review.REJECTED  # taken down
    after = staff_client.get(DESK, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "没有待处理的内容" in after


def test_staff_who_may_only_view_see_nothing_to_decide_and_cannot_decide(client, waiting_photo):
    viewer = StaffFactory(username="viewer", is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_photo"))
    client.force_login(viewer)

    page = client.get(DESK, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    answer = decide(client, "photo", waiting_photo.pk, "approve")

    assert "你没有审核任何内容的权限" in page
    assert answer.status_code == 403
    waiting_photo.refresh_from_db()
    assert waiting_photo.review == Photo.Review.RISKY


def test_someone_not_signed_in_is_sent_to_the_login(client, waiting_photo):
    answer = decide(client, "photo", waiting_photo.pk, "approve")

    assert answer.status_code == 302
    assert "/admin/login/" in answer["Location"]
    waiting_photo.refresh_from_db()
    assert waiting_photo.review == Photo.Review.RISKY


@pytest.mark.parametrize(("kind", "key", "decision"), [
    ("photo", "x", "approve"), ("nothing", "1", "approve"), ("photo", "1", "delete"),
    ("report", "photo:x", "approve"), ("report", "album", "reject"),
])  # fmt: skip
def test_a_decision_that_names_nothing_waiting_is_refused(staff_client, kind, key, decision):
    assert decide(staff_client, kind, key, decision).status_code in (400, 409)


def test_a_photos_own_page_has_the_same_buttons_while_it_waits(staff_client, waiting_photo):
    url = reverse("admin:album_photo_change", args=[waiting_photo.pk])

    waiting = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    decide(staff_client, "photo", waiting_photo.pk, "approve")
    decided = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert 'name="decision" value="approve"' in waiting
    assert 'name="decision"' not in decided


def test_the_review_queue_offers_no_bulk_delete_and_filters_only_its_states(
    staff_client, waiting_photo
):
    page = staff_client.get(reverse("admin:album_photoinreview_changelist"),
                            HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()  # fmt: skip

    assert "delete_selected" not in page
    assert "?review=risky" in page
    assert "?review=review" in page
    assert "?review=pending" not in page
    assert "色情" in page  # the label as a word


def test_the_admin_index_leads_to_the_desk(staff_client):
    index = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert f'href="{DESK}"' in index
    assert "审核台" in index
