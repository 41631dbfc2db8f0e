"""The operators' view of albums and photos; changes go through the same services as the API."""

from django.contrib import admin
from django.utils.html import format_html

from album import services, storage
from album.models import Album, Membership, Photo, Upload


def _thumbnail(photo: Photo | None, size: int):
    if photo is None or not photo.thumb.name:
        return "-"
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;object-fit:cover">',
        storage.url(photo.thumb.name),
        size,
        size,
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "photo_count", "cover_thumbnail", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "owner__openid", "owner__nickname"]
    list_select_related = ["owner", "cover"]
    readonly_fields = ["photo_count", "cover_thumbnail", "created_at", "updated_at"]
    raw_id_fields = ["owner", "cover"]
    inlines = [MembershipInline]

    @admin.display(description="Cover")
    def cover_thumbnail(self, album):
        return _thumbnail(album.cover, 60)

    def delete_model(self, request, obj):
        services.album_delete(album=obj, actor=obj.owner)

    def delete_queryset(self, request, queryset):
        for album in queryset.select_related("owner"):
            services.album_delete(album=album, actor=album.owner)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["id", "thumbnail", "album", "uploader", "width", "height", "created_at"]
    list_select_related = ["album", "uploader"]
    search_fields = ["album__title", "caption", "sha256"]
    fields = [
        "preview",
        "album",
        "uploader",
        "caption",
        "width",
        "height",
        "bytes",
        "content_type",
        "sha256",
        "taken_at",
        "created_at",
    ]
    readonly_fields = [f for f in fields if f != "caption"]

    @admin.display(description="Thumbnail")
    def thumbnail(self, photo):
        return _thumbnail(photo, 60)

    @admin.display(description="Preview")
    def preview(self, photo):
        return _thumbnail(photo, 400)

    def has_add_permission(self, request):
        return False  # photos arrive through the pipeline, never as bare rows

    def delete_model(self, request, obj):
        services.photo_delete(photo=obj, actor=obj.album.owner)

    def delete_queryset(self, request, queryset):
        for photo in queryset.select_related("album__owner"):
            services.photo_delete(photo=photo, actor=photo.album.owner)


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "album",
        "user",
        "content_type",
        "created_at",
        "expires_at",
        "completed_at",
    ]
    list_select_related = ["album", "user"]
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request):
        return False
