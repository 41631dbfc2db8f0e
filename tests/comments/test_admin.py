"""Moderators in the admin: find comments, hide and restore them, read likes and decisions."""

from comments import services
from comments.models import Comment, Like, PermissionDecision


def test_comment_list_finds_by_author_and_shows_status(admin_client, comment, member):
    response = admin_client.get("/admin/comments/comment/", {"q": member.openid})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nice one" in html
    assert "visible" in html


def test_hiding_takes_a_comment_out_of_the_api_and_restoring_brings_it_back(
    admin_client, api, owner, comment, photo
):
    listed = f"/api/v1/photos/{photo.id}/comments"
    changelist = "/admin/comments/comment/"
    selected = {"_selected_action": [comment.pk]}

    admin_client.post(changelist, {"action": "hide", **selected})
    hidden = api.as_user(owner).get(listed).json()["results"]
    admin_client.post(changelist, {"action": "restore", **selected})
    restored = api.get(listed).json()["results"]

    assert hidden == []
    assert [c["id"] for c in restored] == [comment.pk]


def test_likes_and_decisions_are_read_only(admin_client, owner, member, comment):
    services.like_set(user=owner, target=comment, liked=True)
    services.comment_delete(comment=comment, user=member)  # recorded as a decision
    like = Like.objects.get()
    decision = PermissionDecision.objects.get()

    decisions = admin_client.get("/admin/comments/permissiondecision/").content.decode()
    assert "comment.delete" in decisions
    assert admin_client.get("/admin/comments/like/").status_code == 200
    assert admin_client.get("/admin/comments/like/add/").status_code == 403
    delete = admin_client.post(f"/admin/comments/like/{like.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    change = admin_client.post(
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
