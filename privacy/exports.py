"""What goes into a user's export zip: their own data as JSON files and the cleaned originals
of the photos they uploaded. Reads only; privacy.services stores and serves the zip."""

import json
import posixpath
import tempfile
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from album.models import Album, Membership, Photo
from audit.models import LogEntry
from comments.models import Comment, Like
from media import storage

SPOOL_BYTES = 16 * 1024 * 1024  # kept in memory up to this, then on disk


def _json(rows) -> bytes:
    return json.dumps(list(rows), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def build(user) -> tempfile.SpooledTemporaryFile:
    """The zip, as an open temporary file at its end."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zip_:
        avatar = user.held_avatar or user.avatar
        if avatar is not None:  # the one the user last set, as they see it
            data = storage.read(avatar.large.name, limit=settings.PHOTO_MAX_BYTES)
            zip_.writestr("avatar.jpg", data, compress_type=zipfile.ZIP_STORED)
        zip_.writestr("profile.json", json.dumps({
            "id": user.pk, "openid": user.openid, "unionid": user.unionid,
            "nickname": user.held_nickname or user.nickname,
            "avatar": "avatar.jpg" if avatar is not None else None,
            "joined_at": user.date_joined,
        }, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))  # fmt: skip
        roles = dict(Membership.objects.filter(user=user.pk).values_list("album_id", "role"))
        albums = Album.objects.filter(Q(owner=user.pk) | Q(pk__in=roles)).order_by("pk")
        zip_.writestr("albums.json", _json(
            {"id": a.pk, "title": a.title, "description": a.description,
             "visibility": a.visibility, "role": roles.get(a.pk), "created_at": a.created_at}
            for a in albums
        ))  # fmt: skip
        photos = Photo.objects.filter(uploader=user.pk).order_by("pk")
        listed = []
        for photo in photos.iterator():
            name = None  # still processing, or failed: no cleaned original to give
            if photo.original.name:
                name = f"photos/{photo.pk}{posixpath.splitext(photo.original.name)[1]}"
                data = storage.read(photo.original.name, limit=settings.PHOTO_MAX_BYTES)
                zip_.writestr(name, data, compress_type=zipfile.ZIP_STORED)  # JPEG: packed
            listed.append({"id": photo.pk, "album_id": photo.album_id, "file": name,
                           "caption": photo.held_caption or photo.caption,
                           "taken_at": photo.taken_at, "created_at": photo.created_at})  # fmt: skip
        zip_.writestr("photos.json", _json(listed))
        zip_.writestr("comments.json", _json(
            Comment.objects.filter(author=user.pk, deleted_at__isnull=True).order_by("pk")
            .values("id", "album_id", "photo_id", "parent_id", "body", "created_at",
                    "edited_at")
        ))  # fmt: skip
        zip_.writestr("likes.json", _json(
            Like.objects.filter(user=user.pk).order_by("pk")
            .values("photo_id", "comment_id", "created_at")
        ))  # fmt: skip
        zip_.writestr("activity.json", _json(
            LogEntry.objects.filter(actor=user.pk).order_by("pk")
            .values("created_at", "action", "object_type", "object_id", "data")
        ))  # fmt: skip
    return out
