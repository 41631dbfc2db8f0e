"""Reads: comments a user may see, with authors and `liked_by_me` in a fixed number of queries."""

from django.db.models import Exists, OuterRef, QuerySet

from album import access
from album.selectors import role_in
from comments.models import Comment, Like
from config.problems import NotFound


def comments_on(*, album, photo=None, user) -> QuerySet[Comment]:
    """Listed comments on a photo, or on the album itself when photo is None."""
    return (
        Comment.objects.filter(
            album=album, photo=photo, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("author")
        .annotate(liked_by_me=Exists(Like.objects.filter(comment=OuterRef("pk"), user=user.pk)))
    )


def comment_get(*, user, comment_id: int) -> Comment:
    """A listed comment the user may see. Raises NotFound otherwise."""
    comment = (
        Comment.objects.select_related("album__owner", "author", "photo")
        .filter(pk=comment_id, deleted_at__isnull=True, hidden_at__isnull=True)
        .annotate(liked_by_me=Exists(Like.objects.filter(comment=OuterRef("pk"), user=user.pk)))
        .first()
    )
    if comment is None or not access.can_view(comment.album, user, role_in(comment.album, user)):
        raise NotFound("No such comment.")
    return comment
