"""Moderators in the admin: find comments, hide, restore and delete them through the comment
services (logged as the staff user), read likes and decisions."""

from audit.models import LogEntry
from comments import services
from comments.models import Comment, Like, PermissionDecision


def test_comment_list_finds_by_author_and_shows_status(staff_client, comment, member):
    response = staff_client.get("/admin/comments/comment/", {"q": member.openid},
                                HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nice one" in html
    assert "visible" in html


def test_hiding_takes_a_comment_out_of_the_api_and_restoring_brings_it_back(
    staff_client, api, owner, comment, photo
):
    listed = f"/api/v1/photos/{photo.id}/comments"
    changelist = "/admin/comments/comment/"
    selected = {"_selected_action": [comment.pk]}

    staff_client.post(changelist, {"action": "hide", **selected})
    hidden = api.as_user(owner).get(listed).json()["results"]
    staff_client.post(changelist, {"action": "restore", **selected})
    restored = api.get(listed).json()["results"]

    assert hidden == []
    assert [c["id"] for c in restored] == [comment.pk]
    actions = LogEntry.objects.filter(actor__username="operator").values_list("action", flat=True)
    assert sorted(actions) == ["comment.hidden", "comment.restored"]


def test_deleting_in_the_admin_is_the_same_soft_delete_as_the_api(
    staff_client, api, owner, comment, photo
):
    response = staff_client.post(f"/admin/comments/comment/{comment.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    kept = Comment.objects.get(pk=comment.pk)  # kept for audit, as the API's delete keeps it
    assert kept.deleted_at is not None
    assert api.as_user(owner).get(f"/api/v1/photos/{photo.id}/comments").json()["results"] == []
    entry = LogEntry.objects.get(action="comment.deleted")
    assert (entry.actor.username, entry.data["author_id"]) == ("operator", comment.author_id)
    decision = PermissionDecision.objects.get()
    assert (decision.backend, decision.allowed) == ("staff", True)


def test_staff_neither_add_nor_rewrite_comments(staff_client, comment):
    add = staff_client.get("/admin/comments/comment/add/")
    rewrite = staff_client.post(
        f"/admin/comments/comment/{comment.pk}/change/", {"body": "Rewritten by staff"}
    )

    assert add.status_code == 403
    assert rewrite.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Nice one"


def test_likes_and_decisions_are_read_only(staff_client, owner, member, comment):
    services.like_set(user=owner, target=comment, liked=True)
    services.comment_delete(comment=comment, user=member)  # recorded as a decision
    like = Like.objects.get()
    decision = PermissionDecision.objects.get()

    decisions = staff_client.get("/admin/comments/permissiondecision/").content.decode()
    assert "comment.delete" in decisions
    assert staff_client.get("/admin/comments/like/").status_code == 200
    assert staff_client.get("/admin/comments/like/add/").status_code == 403
    delete = staff_client.post(f"/admin/comments/like/{like.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    change = staff_client.post(
        f"/admin/comments/permissiondecision/{decision.pk}/change/", {"allowed": "false"}
    )
    assert change.status_code == 403
    assert Like.objects.filter(pk=like.pk).exists()
    assert PermissionDecision.objects.get().allowed is True


def test_a_member_who_is_not_staff_cannot_open_the_moderation_pages(client, member, comment):
    client.force_login(member)

    response = client.get("/admin/comments/comment/")

    assert response.status_code == 302  # to the admin login
    assert Comment.objects.get().hidden_at is None
