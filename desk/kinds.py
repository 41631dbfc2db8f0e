"""What waits for staff, kind by kind: photos and avatars WeChat's check sent to people (or
flagged), comments held by the text check, held album titles, captions and nicknames, and
reported targets. Each kind says where its waiting items are, how one reads on a card, and
which service decides it; the desk (selectors, services, views) knows nothing else about them.

"Approve" keeps the content (shown to everyone; for a report: the reports dismissed), "reject"
takes it away (hidden from others; for a report: the target taken down)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import avatars
from accounts import services as accounts_services
from accounts.models import Avatar, User
from album import services as album_services
from album.models import Album, Photo
from comments import services as comments_services
from comments.models import Comment
from media import storage
from moderation import media
from moderation.services import holding
from reports import services as reports_services
from reports.models import Report


@dataclass
class Card:
    """One item as the desk shows it."""

    kind: str
    key: str  # the item within its kind: a primary key, or "<type>:<id>" for a reported target
    heading: str
    when: datetime
    who: str = ""
    image: str = ""
    texts: list[tuple[str, str]] = field(default_factory=list)  # (what, the text)
    facts: list[str] = field(default_factory=list)  # state, WeChat's label, reasons
    link: str = ""  # the item's own admin page


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    permission: str  # the change permission that lets staff decide it
    waiting: Callable  # () -> the items waiting, oldest first (a queryset, or a list)
    card: Callable  # (item) -> Card
    decide: Callable  # (item, actor, approve: bool) -> None
    approve_label: str = _("Approve")
    reject_label: str = _("Reject")
    # For items that are not rows of `waiting()` (reported targets): how many wait, and the
    # one of a key if it still waits. Rows are counted, and found by primary key, there.
    count: Callable | None = None
    find: Callable | None = None

    def total(self) -> int:
        return self.count() if self.count else self.waiting().count()

    def still_waiting(self, key: str):
        if self.find:
            return self.find(key)
        return self.waiting().filter(pk=key).first() if key.isdigit() else None


def person(user) -> str:
    """Staff see a user as nickname and openid: the nickname alone is not unique."""
    return str(_("deleted user")) if user is None else user.for_staff


def _admin_link(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _facts(item) -> list[str]:
    facts = [str(item.get_review_display())]
    if item.check_label is not None:
        facts.append(
            str(_("WeChat's label: %(words)s") % {"words": media.label_words(item.check_label)})
        )
    return facts


# --- Photos and avatars ---------------------------------------------------------------------


def _photos():
    return (Photo.objects.filter(review__in=media.FOR_STAFF)
            .select_related("album", "uploader").order_by("created_at", "id"))  # fmt: skip


def _image(file) -> str:
    return storage.url(file.name) if file.name else ""


def _photo_card(photo: Photo) -> Card:
    heading = _("Photo %(id)s in “%(album)s”") % {
        "id": photo.pk,
        "album": photo.album.display_title,
    }
    return Card(
        "photo", str(photo.pk), heading, photo.created_at, who=person(photo.uploader),
        image=_image(photo.large) or _image(photo.thumb),
        texts=[(str(_("Caption")), photo.caption)] if photo.caption else [],
        facts=_facts(photo), link=_admin_link(photo),
    )  # fmt: skip


def _avatars():
    return (Avatar.objects.filter(review__in=media.FOR_STAFF).select_related("user")
            .order_by("created_at", "id"))  # fmt: skip


def _avatar_card(avatar: Avatar) -> Card:
    return Card(
        "avatar", str(avatar.pk), _("Avatar of %(who)s") % {"who": person(avatar.user)},
        avatar.created_at, who=person(avatar.user),
        image=_image(avatar.large),
        facts=_facts(avatar),
        link=reverse("admin:accounts_avatarinreview_change", args=[avatar.pk]),
    )  # fmt: skip


# --- Texts ----------------------------------------------------------------------------------


def _comments():
    return (Comment.objects.filter(review=Comment.Review.REVIEW, deleted_at__isnull=True)
            .select_related("album", "author").order_by("created_at", "id"))  # fmt: skip


def _comment_card(comment: Comment) -> Card:
    heading = _("Comment in “%(album)s”") % {"album": comment.album.display_title}
    return Card(
        "comment", str(comment.pk), heading, comment.created_at, who=person(comment.author),
        texts=[(str(_("Comment")), comment.body)], facts=[str(comment.get_review_display())],
        link=_admin_link(comment),
    )  # fmt: skip


def _texts(obj, names, labels) -> list[tuple[str, str]]:
    """Each held text beside the one shown now."""
    texts = []
    for name in names:
        held = getattr(obj, f"held_{name}")
        if held:
            texts.append(
                (str(_("%(field)s now") % {"field": labels[name]}), getattr(obj, name) or "-")
            )
            texts.append((str(_("%(field)s waiting") % {"field": labels[name]}), held))
    return texts


ALBUM_LABELS = {"title": _("Title"), "description": _("Description")}


def _albums():
    return (Album.objects.filter(holding(album_services.ALBUM_TEXTS)).select_related("owner")
            .order_by("updated_at", "id"))  # fmt: skip


def _album_card(album: Album) -> Card:
    return Card(
        "album", str(album.pk), _("Album %(id)s") % {"id": album.pk}, album.updated_at,
        who=person(album.owner), texts=_texts(album, album_services.ALBUM_TEXTS, ALBUM_LABELS),
        link=_admin_link(album),
    )  # fmt: skip


def _captions():
    return (Photo.objects.filter(holding(album_services.PHOTO_TEXTS))
            .select_related("album", "uploader").order_by("created_at", "id"))  # fmt: skip


def _caption_card(photo: Photo) -> Card:
    card = _photo_card(photo)
    card.kind, card.facts = "caption", []
    card.texts = _texts(photo, album_services.PHOTO_TEXTS, {"caption": _("Caption")})
    card.image = _image(photo.thumb)
    return card


def _nicknames():
    return (User.objects.filter(holding(accounts_services.USER_TEXTS))
            .order_by("date_joined", "id"))  # fmt: skip


def _nickname_card(user: User) -> Card:
    heading = _("Profile of %(openid)s") % {"openid": user.openid or user.username}
    return Card(
        "nickname", str(user.pk), heading, user.date_joined, who=person(user),
        texts=_texts(user, accounts_services.USER_TEXTS, {"nickname": _("Nickname")}),
        link=_admin_link(user),
    )  # fmt: skip


# --- Reports --------------------------------------------------------------------------------


def _reported():
    """Reported targets, each once, with its open reports counted, oldest report first."""
    return list(
        Report.objects.filter(status=Report.Status.OPEN)
        .values("target_type", "target_id")
        .annotate(reports=Count("pk"), first=Min("created_at"))
        .order_by("first", "target_type", "target_id")
    )


def _reported_count() -> int:
    return (Report.objects.filter(status=Report.Status.OPEN)
            .values("target_type", "target_id").distinct().count())  # fmt: skip


def _report_card(target: dict) -> Card:
    kind, pk = target["target_type"], target["target_id"]
    reports = Report.objects.filter(status=Report.Status.OPEN, target_type=kind, target_id=pk)
    reasons = sorted({str(r.get_reason_display()) for r in reports})
    details = [r.detail for r in reports if r.detail][:3]
    card = Card(
        "report", f"{kind}:{pk}",
        _("%(target)s %(id)s, reported %(n)s time(s)") % {
            "target": Report.Target(kind).label, "id": pk, "n": target["reports"]},
        target["first"], facts=[str(_("Reasons: %(reasons)s") % {"reasons": "、".join(reasons)})],
        texts=[(str(_("Reporter's words")), detail) for detail in details],
    )  # fmt: skip
    shown = {"photo": Photo, "comment": Comment, "album": Album, "user": User}[kind]
    obj = shown.objects.filter(pk=pk).first()
    if obj is None:
        card.texts.append((str(_("Target")), str(_("already deleted"))))
        return card
    card.link = _admin_link(obj)
    if kind == "photo":
        card.image = _image(obj.thumb)
        card.who = person(obj.uploader)
    elif kind == "comment":
        card.texts.insert(0, (str(_("Comment")), obj.body))
        card.who = person(obj.author)
    elif kind == "album":
        card.texts.insert(0, (str(_("Title")), obj.display_title))
        card.who = person(obj.owner)
    else:
        card.who = person(obj)
    return card


def _find_reported(key: str):
    kind, _sep, pk = key.partition(":")
    if kind not in Report.Target.values or not pk.isdigit():
        return None
    target = {"target_type": kind, "target_id": int(pk)}
    found = Report.objects.filter(status=Report.Status.OPEN, **target).aggregate(
        reports=Count("pk"), first=Min("created_at")
    )
    return {**target, **found} if found["reports"] else None


def _decide_report(target: dict, actor, approve: bool) -> None:
    reports_services.reports_resolve(
        target_type=target["target_type"], target_id=target["target_id"], actor=actor,
        uphold=not approve, resolution="No rule broken." if approve else "Taken down.",
    )  # fmt: skip


KINDS = {
    kind.key: kind
    for kind in [
        Kind("photo", _("Photos"), "album.change_photo", _photos, _photo_card,
             lambda photo, actor, approve: album_services.photo_moderate(
                 photo=photo, actor=actor, approve=approve)),
        Kind("avatar", _("Avatars"), "accounts.change_avatar", _avatars, _avatar_card,
             lambda avatar, actor, approve: avatars.avatar_moderate(
                 avatar=avatar, actor=actor, approve=approve)),
        Kind("comment", _("Comments"), "comments.change_comment", _comments, _comment_card,
             lambda comment, actor, approve: comments_services.comment_moderate(
                 comment=comment, actor=actor, approve=approve)),
        Kind("album", _("Album titles and descriptions"), "album.change_album", _albums,
             _album_card,
             lambda album, actor, approve: album_services.album_texts_moderate(
                 album=album, actor=actor, approve=approve)),
        Kind("caption", _("Captions"), "album.change_photo", _captions, _caption_card,
             lambda photo, actor, approve: album_services.photo_texts_moderate(
                 photo=photo, actor=actor, approve=approve)),
        Kind("nickname", _("Nicknames"), "accounts.change_user", _nicknames, _nickname_card,
             lambda user, actor, approve: accounts_services.user_texts_moderate(
                 user=user, actor=actor, approve=approve)),
        Kind("report", _("Reports"), "reports.change_report", _reported, _report_card,
             _decide_report, approve_label=_("Dismiss"), reject_label=_("Take down"),
             count=_reported_count, find=_find_reported),
    ]
}  # fmt: skip
