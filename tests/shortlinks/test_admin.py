"""Operators in the admin: adding generic links, changing where a link leads, revoking; all
through the link services, logged as the staff user, and seen by the very next scan."""

import pytest

from audit.models import LogEntry
from shortlinks.models import ShortLink


def link_form(**fields) -> dict:
    return {"page": "pages/event/index", "params": "{}", "expires_at_0": "", "expires_at_1": "",
            "max_visits": "", **fields}  # fmt: skip


def test_links_added_in_the_admin_get_codes_of_their_own(staff_client, api, staff):
    first = staff_client.post("/admin/shortlinks/shortlink/add/", link_form())
    second = staff_client.post("/admin/shortlinks/shortlink/add/", link_form(params='{"id": 2}'))

    assert (first.status_code, second.status_code) == (302, 302)
    links = list(ShortLink.objects.order_by("pk"))
    assert len(links) == 2
    assert all(len(link.code) == 32 for link in links)
    assert links[0].code != links[1].code
    assert {link.creator for link in links} == {staff}
    resolved = api.get(f"/api/v1/shortlinks/{links[1].code}").json()
    assert resolved["params"] == {"id": 2}
    assert LogEntry.objects.filter(action="shortlink.created", actor=staff).count() == 2


def test_changing_a_link_in_the_admin_is_seen_by_the_next_scan(
    staff_client, api, link, django_capture_on_commit_callbacks
):
    assert api.get(f"/api/v1/shortlinks/{link.code}").json()["page"] == "pages/event/index"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/shortlinks/shortlink/{link.pk}/change/",
            link_form(page="pages/other/index", params='{"id": 7}'),
        )

    assert response.status_code == 302, response.content
    assert api.get(f"/api/v1/shortlinks/{link.code}").json()["page"] == "pages/other/index"
    entry = LogEntry.objects.get(action="shortlink.updated")
    assert entry.actor.username == "operator"
    assert entry.data["changes"] == {"page": ["pages/event/index", "pages/other/index"]}


def test_the_admin_cannot_change_a_shares_role_or_delete_a_link(staff_client, share):
    form = link_form(page=share.page, params=f'{{"album_id": {share.album_id}}}', role="owner")

    staff_client.post(f"/admin/shortlinks/shortlink/{share.pk}/change/", form)
    delete = staff_client.post(f"/admin/shortlinks/shortlink/{share.pk}/delete/", {"post": "yes"})

    share.refresh_from_db()
    assert share.role == "viewer"
    assert delete.status_code == 403


def test_admin_shows_qr_preview_and_revokes(
    staff_client, api, link, django_capture_on_commit_callbacks
):
    api.get(f"/api/v1/shortlinks/{link.code}")  # cached as live
    found = staff_client.get("/admin/shortlinks/shortlink/", {"q": link.code.lower()})
    page = staff_client.get(f"/admin/shortlinks/shortlink/{link.pk}/change/")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/shortlinks/shortlink/",
            {"action": "revoke", "_selected_action": [link.pk]},
        )

    assert link.code in found.content.decode()
    assert f"/s/{link.code}/qr.svg" in page.content.decode()
    assert api.get(f"/api/v1/shortlinks/{link.code}").json()["code"] == "revoked"
    assert LogEntry.objects.get(action="shortlink.revoked").actor.username == "operator"


@pytest.mark.parametrize("role", ["boss", "owner", ""])
def test_no_caller_of_the_share_service_can_grant_another_role(owner, album, role):
    from album.models import Membership
    from config.problems import Invalid
    from shortlinks import services

    with pytest.raises(Invalid) as refused:
        services.album_share(album=album, actor=owner, role=role)

    assert refused.value.extra == {
        "errors": {"role": ["A share grants `viewer` or `contributor`."]}
    }
    assert not ShortLink.objects.exists()
    assert not Membership.objects.filter(role=role).exclude(user=owner).exists()
