"""Reads: which albums and photos a user may see, shaped for the API."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from album import access
from album.models import Album, Membership, Photo, Upload
from config.problems import NotFound


def _role_subquery(user):
    return Subquery(
        Membership.objects.filter(album=OuterRef("pk"), user=user.pk).values("role")[:1]
    )


def _counted(rows: QuerySet, by: str) -> Coalesce:
    """How many of `rows` belong to the outer row (`by` names the link to it): exact at every
    read, as a correlated count on an indexed column."""
    counted = rows.filter(**{by: OuterRef("pk")}).values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _listed_comments() -> QuerySet:
    """Comments everyone who may view the album sees (comments.models.Comment.listed)."""
    from comments.models import Comment

    return Comment.objects.filter(Comment.listed())


def album_member_count(album: Album) -> int:
    """As albums_visible_to annotates it; counted for an album read otherwise (just made)."""
    if hasattr(album, "member_count"):
        return album.member_count
    return Membership.objects.filter(album=album).count()


def album_comment_count(album: Album) -> int:
    if hasattr(album, "comment_count"):
        return album.comment_count
    return _listed_comments().filter(album=album).count()


def photo_comment_count(photo: Photo) -> int:
    if hasattr(photo, "comment_count"):
        return photo.comment_count
    return _listed_comments().filter(photo=photo).count()


ALBUM_COUNTS = ("member_count", "comment_count")


def albums_visible_to(user, *, counts=ALBUM_COUNTS, card: bool = True) -> QuerySet[Album]:
    """Every album the user may view, each annotated with `my_role` (None if not a member)
    and the `counts` asked for (`member_count`, `comment_count`); with `card`, its owner and
    cover read along (what the album's card shows)."""
    counters = {
        "member_count": lambda: _counted(Membership.objects.all(), "album"),
        "comment_count": lambda: _counted(_listed_comments(), "album"),
    }
    albums = Album.objects.annotate(
        my_role=_role_subquery(user), **{name: counters[name]() for name in counts}
    ).filter(
        Q(owner=user.pk)
        | Q(visibility=Album.Visibility.PUBLIC)
        | Q(visibility=Album.Visibility.MEMBERS, my_role__isnull=False)
    )
    return albums.select_related("owner__avatar", "cover") if card else albums


def albums_of(user) -> QuerySet[Album]:
    """ "My albums": the ones the user owns or joined and may still view."""
    return albums_visible_to(user).filter(my_role__isnull=False)


def album_get(*, user, album_id: int, counts=None) -> Album:
    """Raises NotFound when the album does not exist or the user may not view it.

    A read for the album's card gives the `counts` it shows (ALBUM_COUNTS, or fewer) and has
    the owner and cover read along; one that only needs to reach the album (its photos, its
    members) gives none and reads the album's row alone. An album serialised anyway is
    counted then (album_member_count), its owner read when asked for."""
    card = counts is not None
    albums = albums_visible_to(user, counts=counts or (), card=card)
    album = albums.filter(pk=album_id).first()
    if album is None:
        raise NotFound("No such album.")
    return album


def role_in(album: Album, user) -> str | None:
    if hasattr(album, "my_role"):
        return album.my_role
    return (
        Membership.objects.filter(album=album, user=user.pk).values_list("role", flat=True).first()
    )


def members_of(album: Album) -> QuerySet[Membership]:
    return album.memberships.select_related("user__avatar").order_by("joined_at", "id")


def member_get(album: Album, user_id: int) -> Membership:
    """One member of an album the caller may see. Raises NotFound."""
    membership = members_of(album).filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("No such member.")
    return membership


def _liked_by(user):
    from comments.models import Like

    return Exists(Like.objects.filter(photo=OuterRef("pk"), user=user.pk))


def shown_to(user, *, via: str = "") -> Q:
    """Photos the user may see in an album they may view: the ready ones that passed review
    (or were never checked), and their own whatever their state. `via` is the path to the
    photo from another model, e.g. "photo__"."""
    return Photo.shown(via) | Q(**{f"{via}uploader": user.pk})


def photos_of(album: Album, user, *, uploader: int | None = None) -> QuerySet[Photo]:
    """The album's photos the user sees, with `liked_by_me` and `comment_count`; only one
    person's uploads with `uploader`."""
    photos = (
        album.photos.filter(shown_to(user))
        .select_related("uploader__avatar")
        .annotate(liked_by_me=_liked_by(user), comment_count=_counted(_listed_comments(), "photo"))
    )
    return photos.filter(uploader=uploader) if uploader is not None else photos


def photo_get(*, user, photo_id: int) -> Photo:
    """The photo as shown (uploader, `liked_by_me`, `comment_count`). Raises NotFound when it
    may not be seen."""
    photos = Photo.objects.select_related("album", "uploader__avatar").annotate(
        liked_by_me=_liked_by(user), comment_count=_counted(_listed_comments(), "photo")
    )
    return _visible(photos, user=user, photo_id=photo_id)


def photo_target(*, user, photo_id: int) -> Photo:
    """A photo to act on (comment on, like), with only its album. NotFound as photo_get."""
    return _visible(Photo.objects.select_related("album"), user=user, photo_id=photo_id)


def _visible(photos: QuerySet[Photo], *, user, photo_id: int) -> Photo:
    photo = photos.filter(shown_to(user), pk=photo_id).first()
    if photo is None or not access.can_view(photo.album, user, role_in(photo.album, user)):
        raise NotFound("No such photo.")
    return photo


def upload_get(*, user, upload_id) -> Upload:
    """The user's own upload; anyone else's is a 404."""
    upload = Upload.objects.select_related("album").filter(pk=upload_id, user=user.pk).first()
    if upload is None:
        raise NotFound("No such upload.")
    return upload
