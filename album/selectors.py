"""Reads: which albums and photos a user may see, shaped for the API."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from album import access
from album.models import Album, Membership, Photo, Upload
from config.problems import NotFound


def _role_subquery(user):
    return Subquery(
        Membership.objects.filter(album=OuterRef("pk"), user=user.pk).values("role")[:1]
    )


def albums_visible_to(user) -> QuerySet[Album]:
    """Every album the user may view, each annotated with `my_role` (None if not a member)."""
    return (
        Album.objects.annotate(my_role=_role_subquery(user))
        .filter(
            Q(owner=user.pk)
            | Q(visibility=Album.Visibility.PUBLIC)
            | Q(visibility=Album.Visibility.MEMBERS, my_role__isnull=False)
        )
        .select_related("owner__avatar", "cover")
    )


def albums_of(user) -> QuerySet[Album]:
    """ "My albums": the ones the user owns or joined and may still view."""
    return albums_visible_to(user).filter(my_role__isnull=False)


def album_get(*, user, album_id: int) -> Album:
    """Raises NotFound when the album does not exist or the user may not view it."""
    album = albums_visible_to(user).filter(pk=album_id).first()
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
    """Photos the user may see in an album they may view: the ones that passed review (or were
    never checked), and their own whatever the review says. `via` is the path to the photo
    from another model, e.g. "photo__"."""
    return Q(**{f"{via}review__in": Photo.VISIBLE}) | Q(**{f"{via}uploader": user.pk})


def photos_of(album: Album, user) -> QuerySet[Photo]:
    return (
        album.photos.filter(shown_to(user))
        .select_related("uploader__avatar")
        .annotate(liked_by_me=_liked_by(user))
    )


def photo_get(*, user, photo_id: int) -> Photo:
    """The photo as shown (uploader, `liked_by_me`). Raises NotFound when it may not be seen."""
    photos = Photo.objects.select_related("album", "uploader__avatar").annotate(
        liked_by_me=_liked_by(user)
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
