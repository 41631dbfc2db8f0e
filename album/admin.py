"""The operators' view of albums and photos. Every change goes through the same services as the
API, with the staff user as the actor; fields the services own are read-only here."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from album import services
from album.models import Album, Membership, Photo, PhotoInReview, Removal, Upload
from config.admin import DeskButtons, ModerationActions, ReadOnlyAdmin
from media import storage
from moderation import media
from moderation.admin import HeldTextFilter, HeldTextsAdmin, WaitingFilter


def _thumbnail(photo: Photo | None, size: int):
    if photo is None or not photo.thumb.name:
        return "-"
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;object-fit:cover">',
        storage.url(photo.thumb.name),
        size,
        size,
    )


def _stored(obj):
    """The row as stored: the admin's form has already written its input onto `obj`, and the
    service must see (and log) the change from what was there."""
    return type(obj).objects.get(pk=obj.pk)


class MembershipInline(admin.TabularInline):
    """Members, read-only: they join through share links; removing one is a change of its own
    (Album members), so the owner's row can never be deleted or a second owner added here."""

    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at", "via_link"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Album)
class AlbumAdmin(HeldTextsAdmin, ModerationActions, admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "photo_count", "cover_thumbnail", "held_text",
                    "created_at"]  # fmt: skip
    list_filter = ["visibility", HeldTextFilter]
    actions = ["approve_held_texts", "reject_held_texts"]
    held_texts = services.ALBUM_TEXTS
    search_fields = ["title", "owner__openid", "owner__nickname"]
    list_select_related = ["owner", "cover"]
    raw_id_fields = ["owner"]
    inlines = [MembershipInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # the owner's membership comes on save

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["owner", "title", "description", "visibility"]
        return ["owner", "title", "description", "held_text", "visibility", "cover_thumbnail",
                "photo_count", "created_at", "updated_at"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The owner is for good (no transfer); the cover and the count follow the photos.
        return ["owner", "held_text", "cover_thumbnail", "photo_count", "created_at",
                "updated_at"]  # fmt: skip

    def moderate_texts(self, album, actor, approve):
        services.album_texts_moderate(album=album, actor=actor, approve=approve)

    @admin.display(description=_("Cover"))
    def cover_thumbnail(self, album):
        return _thumbnail(album.cover, 60)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in ("title", "description", "visibility")}
        if change:
            services.album_update(album=_stored(obj), actor=request.user, **data)
        else:
            created = services.album_create(
                owner=form.cleaned_data["owner"], actor=request.user, **data
            )
            obj.pk = created.pk  # the admin's redirect and its own log read it

    def get_deleted_objects(self, objs, request):
        # The confirmation lists everything that goes with the album; the service deletes it,
        # so the per-model delete permissions (none for members, links, uploads) do not apply.
        deleted, model_count, _, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request, obj):
        services.album_delete(album=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for album in queryset:
            services.album_delete(album=album, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Staff remove a member (not the owner); the removal is remembered like the owner's."""

    list_display = ["album", "user", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["album__title", "user__openid", "user__nickname"]
    list_select_related = ["album", "user"]
    readonly_fields = ["album", "user", "role", "joined_at", "via_link"]
    actions = None  # one member at a time, through its delete page

    def has_add_permission(self, request):
        return False  # people join through share links

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.role == Membership.Role.OWNER:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.member_remove(album=obj.album, actor=request.user, user_id=obj.user_id)


@admin.register(Removal)
class RemovalAdmin(ReadOnlyAdmin):
    """Read-only: a new share link from the owner lets the person back in."""

    list_display = ["album", "user", "removed_at", "removed_by"]
    list_select_related = ["album", "user", "removed_by"]
    search_fields = ["album__title", "user__openid"]


@admin.register(Photo)
class PhotoAdmin(DeskButtons, HeldTextsAdmin, ModerationActions, admin.ModelAdmin):
    list_display = ["id", "thumbnail", "album", "uploader", "review", "held_text", "created_at"]
    list_filter = ["review", HeldTextFilter]
    list_select_related = ["album", "uploader"]
    search_fields = ["album__title", "caption", "sha256", "check_trace_id"]
    actions = ["approve", "reject", "approve_held_texts", "reject_held_texts"]
    held_texts = services.PHOTO_TEXTS
    desk_kind = "photo"
    fields = [
        "preview",
        "album",
        "uploader",
        "caption",
        "held_text",
        "width",
        "height",
        "bytes",
        "content_type",
        "sha256",
        "taken_at",
        "created_at",
        "review",
        "label",
        "check_trace_id",
        "check_requested_at",
        "checked_at",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = [f for f in fields if f != "caption"]

    @admin.display(description=_("Thumbnail"))
    def thumbnail(self, photo):
        return _thumbnail(photo, 60)

    @admin.display(description=_("Preview"))
    def preview(self, photo):
        return _thumbnail(photo, 400)

    def has_add_permission(self, request):
        return False  # photos arrive through the pipeline, never as bare rows

    def waits_for_staff(self, photo):
        return photo.review in Photo.FOR_STAFF

    @admin.display(description=_("WeChat's label"))
    def label(self, photo):
        return media.label_words(photo.check_label)

    def moderate_texts(self, photo, actor, approve):
        services.photo_texts_moderate(photo=photo, actor=actor, approve=approve)

    def save_model(self, request, obj, form, change):
        caption = form.cleaned_data["caption"]
        services.photo_update(photo=_stored(obj), actor=request.user, caption=caption)

    def delete_model(self, request, obj):
        services.photo_delete(photo=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for photo in queryset.select_related("album"):
            services.photo_delete(photo=photo, actor=request.user)

    @admin.action(
        permissions=["moderate"],
        description=_("Approve the selected photos (shown to the album's members)"),
    )
    def approve(self, request, queryset):
        self._moderate(request, queryset, approve=True)

    @admin.action(
        permissions=["moderate"],
        description=_("Reject the selected photos (hidden; deleted after retention)"),
    )
    def reject(self, request, queryset):
        self._moderate(request, queryset, approve=False)

    def _moderate(self, request, queryset, *, approve: bool):
        photos = list(queryset)
        for photo in photos:
            services.photo_moderate(photo=photo, actor=request.user, approve=approve)
        if approve:
            done = ngettext("Approved %(n)d photo.", "Approved %(n)d photos.", len(photos))
        else:
            done = ngettext("Rejected %(n)d photo.", "Rejected %(n)d photos.", len(photos))
        self.message_user(request, done % {"n": len(photos)}, messages.SUCCESS)


@admin.register(PhotoInReview)
class PhotoInReviewAdmin(PhotoAdmin):
    """The moderation queue: photos WeChat's check sent to people (`review`), flagged (`risky`)
    or never answered for (moved to `review` by the sweep); oldest first."""

    list_display = ["id", "thumbnail", "album", "uploader", "review", "label", "created_at"]
    list_display_links = ["id", "thumbnail"]
    list_filter = [WaitingFilter]
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(review__in=Photo.FOR_STAFF)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a queue is decided, never bulk-deleted
        return actions


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    """Tickets, read-only: `cleanup_uploads` removes lapsed ones with their files."""

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
