"""Who may do what in an album: the one place these rules live.

private: the owner only. members: members. public: any logged-in user may view.
Owner and contributors upload; the owner edits and deletes the album and removes members;
the uploader or the owner deletes a photo. Someone who may not view gets a 404, never a 403,
so nobody can tell an album they may not see exists. Staff (operators in the admin) may view,
edit and delete anything, and remove members; they never upload or join.
"""

from album.models import Album, Membership, Photo
from config.problems import Forbidden, NotFound

Role = Membership.Role
UPLOADER_ROLES = {Role.OWNER, Role.CONTRIBUTOR}
ROLE_RANK = {Role.VIEWER: 0, Role.CONTRIBUTOR: 1, Role.OWNER: 2}


def has_at_least(role: str | None, wanted: str) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[wanted]


def is_operator(user) -> bool:
    """Staff acting in the admin; their changes are logged as theirs, never the owner's. A
    staff flag gives nothing through an API token (accounts.models.User.acts_as_staff)."""
    return bool(getattr(user, "acts_as_staff", False))


def can_view(album: Album, user, role: str | None) -> bool:
    if album.owner_id == user.pk:
        return True
    if album.visibility == Album.Visibility.PUBLIC:
        return True
    return album.visibility == Album.Visibility.MEMBERS and role is not None


def require_view(album: Album, user, role: str | None) -> None:
    # Operators pass here, in the services the admin calls, not in the API's selectors: the
    # API shows staff what it shows anyone.
    if not (can_view(album, user, role) or is_operator(user)):
        raise NotFound("No such album.")


def require_upload(album: Album, user, role: str | None) -> None:
    if not can_view(album, user, role):
        raise NotFound("No such album.")
    if album.owner_id != user.pk and role not in UPLOADER_ROLES:
        raise Forbidden("Only the owner and contributors can add photos to this album.")


def require_owner(album: Album, user, role: str | None, action: str) -> None:
    require_view(album, user, role)
    if album.owner_id != user.pk and not is_operator(user):
        raise Forbidden(f"Only the album's owner can {action}.")


def can_change_photo(photo: Photo, user) -> bool:
    """Its uploader, the album's owner, or staff (who may view the album: checked apart)."""
    return user.pk in (photo.uploader_id, photo.album.owner_id) or is_operator(user)


def require_photo_change(photo: Photo, user, role: str | None) -> None:
    require_view(photo.album, user, role)
    if not can_change_photo(photo, user):
        raise Forbidden("Only the photo's uploader or the album's owner can change it.")
