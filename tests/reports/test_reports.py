"""Reports: a user reports what they can see; staff take the target down or dismiss; the
reporter reads the decision. Enough reporters hide a photo or comment until staff decide."""

import pytest

from album.models import Album, Photo
from comments.models import Comment
from reports.models import Report
from tests.factories import AlbumFactory, CommentFactory, PhotoFactory, UserFactory

REPORTS = "/api/v1/reports"


@pytest.fixture
def album(owner, member, contributor):
    return AlbumFactory(owner=owner, title="Party", members=[member], contributors=[contributor])


@pytest.fixture
def photo(album, contributor):
    return PhotoFactory(album=album, uploader=contributor)


def report(api, user, target_type, target_id, reason="porn", **extra):
    body = {"target_type": target_type, "target_id": target_id, "reason": reason, **extra}
    return api.as_user(user).post(REPORTS, body, format="json")


def decide(staff_client, action, report_id):
    return staff_client.post("/admin/reports/report/",
                             {"action": action, "_selected_action": [report_id]})  # fmt: skip


def test_a_member_reports_a_photo_once_and_reads_it_back(api, member, photo):
    first = report(api, member, "photo", photo.pk, detail="不适合公开")
    again = report(api, member, "photo", photo.pk, reason="vulgar")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["status"] == "open"
    assert api.as_user(member).get(first["Location"]).json()["detail"] == "不适合公开"
    mine = api.as_user(member).get(REPORTS).json()["results"]
    assert [r["id"] for r in mine] == [first.json()["id"]]


@pytest.mark.parametrize("target", ["photo", "comment", "album", "user"])
def test_what_you_cannot_see_you_cannot_report(api, outsider, member, album, photo, target):
    comment = CommentFactory(album=album, author=member, photo=photo)
    target_id = {"photo": photo.pk, "comment": comment.pk, "album": album.pk,
                 "user": member.pk}[target]  # fmt: skip

    response = report(api, outsider, target, target_id)

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_someone_elses_report_is_not_yours_to_read(api, member, outsider, photo):
    made = report(api, member, "photo", photo.pk).json()

    assert api.as_user(outsider).get(f"{REPORTS}/{made['id']}").status_code == 404
    assert api.as_user(outsider).get(REPORTS).json()["results"] == []


def test_fellow_members_may_be_reported_but_not_yourself(api, member, contributor, album):
    assert report(api, member, "user", contributor.pk, reason="abuse").status_code == 201
    yourself = report(api, member, "user", member.pk, reason="abuse")
    assert (yourself.status_code, list(yourself.json()["errors"])) == (400, ["target_id"])


@pytest.mark.parametrize(
    ("body", "field"),
    [({"reason": "boring"}, "reason"), ({"target_type": "song"}, "target_type"),
     ({"detail": "x" * 201}, "detail"), ({"detail": "a\u202eb"}, "detail")],
)  # fmt: skip
def test_a_bad_report_is_refused_naming_the_field(api, member, photo, body, field):
    response = report(api, member, body.pop("target_type", "photo"), photo.pk,
                      **{"reason": "porn", **body})  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Report.objects.exists()


def test_three_reporters_hide_a_photo_until_staff_dismiss_the_reports(
    api, owner, member, contributor, staff_client, album, photo
):
    third = UserFactory()
    from album import services as albums

    albums.member_join(album=album, user=third, role="viewer")
    path = f"/api/v1/photos/{photo.pk}"
    for user in (owner, member):
        report(api, user, "photo", photo.pk)
    assert api.as_user(member).get(path).status_code == 200  # two are not enough

    made = report(api, third, "photo", photo.pk).json()

    assert api.as_user(member).get(path).status_code == 404
    assert api.as_user(contributor).get(path).status_code == 200  # its uploader still sees it
    decide(staff_client, "dismiss", made["id"])
    assert api.as_user(member).get(path).status_code == 200
    decided = api.as_user(third).get(f"{REPORTS}/{made['id']}").json()
    assert (decided["status"], decided["resolution"]) == ("dismissed", "No rule broken.")
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}


def test_taking_down_a_comment_hides_it_and_upholds_every_report(
    api, owner, member, staff_client, album, photo, settings
):
    settings.REPORT_AUTO_HIDE_AT = 0
    comment = CommentFactory(album=album, author=member, photo=photo, body="rude")
    made = report(api, owner, "comment", comment.pk, reason="abuse").json()

    decide(staff_client, "take_down", made["id"])

    assert Comment.objects.get(pk=comment.pk).hidden_at is not None
    assert api.as_user(owner).get(f"{REPORTS}/{made['id']}").json()["status"] == "upheld"
    assert report(api, owner, "comment", comment.pk).status_code == 404  # gone from view


def test_taking_down_an_album_makes_it_private_and_a_profile_loses_its_nickname(
    api, member, contributor, staff_client, album
):
    by_album = report(api, member, "album", album.pk, reason="illegal").json()
    by_user = report(api, member, "user", contributor.pk, reason="abuse").json()

    decide(staff_client, "take_down", by_album["id"])
    decide(staff_client, "take_down", by_user["id"])

    assert Album.objects.get(pk=album.pk).visibility == "private"
    contributor.refresh_from_db()
    assert contributor.nickname == ""


def test_view_only_staff_cannot_decide_reports(api, member, photo, client):
    from django.contrib.auth.models import Permission

    made = report(api, member, "photo", photo.pk).json()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_report"))
    client.force_login(viewer)

    decide(client, "take_down", made["id"])

    assert Report.objects.get().status == "open"
    assert Photo.objects.get(pk=photo.pk).review == photo.review


def test_staff_see_each_report_with_the_count_and_reasons_on_its_target(
    api, owner, member, staff_client, photo
):
    report(api, owner, "photo", photo.pk, reason="porn")
    report(api, member, "photo", photo.pk, reason="vulgar")

    page = staff_client.get("/admin/reports/report/?status__exact=open",
                            HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()  # fmt: skip

    assert "该对象的未处理举报" in page
    assert page.count(f'<td class="field-target">照片 {photo.pk}</td>') == 2
    assert '<td class="field-reports_on_target">2</td>' in page
    assert '<td class="field-target_reasons">色情、低俗</td>' in page
