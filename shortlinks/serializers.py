"""Shapes of the short-link API."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from album.models import Membership
from config.serializers import StrictInputSerializer
from shortlinks.models import ShortLink

# A mini-program page path: letters, digits and `_-./`, never `..` (the document's pattern).
_PAGE = r"^(?!.*\.\.)[A-Za-z0-9_\-./]+$"


def public_urls(code: str) -> dict[str, str]:
    base = settings.SHORTLINK_BASE_URL
    return {
        "url": f"{base}/s/{code}",
        "qr_png": f"{base}/s/{code}/qr.png",
        "qr_svg": f"{base}/s/{code}/qr.svg",
        "wxacode": f"{base}/s/{code}/wxacode",
    }


class ShortLinkSerializer(serializers.Serializer):
    """A link as stored: the same shape when created, shared or resolved."""

    code = serializers.CharField()
    kind = serializers.CharField()
    url = serializers.URLField()
    qr_png = serializers.URLField()
    qr_svg = serializers.URLField()
    wxacode = serializers.URLField(help_text="The link's mini-program code (an image).")
    page = serializers.CharField()
    params = serializers.DictField()
    album_id = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    max_visits = serializers.IntegerField(allow_null=True)
    visit_count = serializers.IntegerField(
        help_text="Visits flushed so far; may trail the live count by a few seconds."
    )
    created_at = serializers.DateTimeField()

    def to_representation(self, meta):
        return link_body(meta)


def link_body(meta: dict) -> dict:
    """ShortLinkSerializer's output, built by hand: this runs on every resolve (which calls it
    directly), and DRF's per-field machinery (copying the declared fields for each instance)
    cost more than the rest of the request together."""
    return {
        "code": meta["code"],
        "kind": meta["kind"],
        **public_urls(meta["code"]),
        "page": meta["page"],
        "params": meta["params"],
        "album_id": meta["album_id"],
        "role": meta["role"],
        "expires_at": _iso(meta["expires_at"]),
        "max_visits": meta["max_visits"],
        "visit_count": meta["visit_count"],
        "created_at": _iso(meta["created_at"]),
    }


def _iso(value):
    """As DRF's DateTimeField writes an aware datetime (ISO 8601 in the default time zone,
    UTC as "Z"), without its per-call time zone lookups: this runs twice on every resolve."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_default_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class LinkLimitsSerializer(StrictInputSerializer):
    """When a link stops working: a time, a number of visits, both or neither (null)."""

    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    max_visits = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=1_000_000_000
    )

    def validate_expires_at(self, expires_at):
        if expires_at is not None and expires_at <= timezone.now():
            raise serializers.ValidationError(_("Must be in the future."))
        return expires_at


class ShortLinkCreateSerializer(LinkLimitsSerializer):
    page = serializers.CharField(
        max_length=128,
        validators=[RegexValidator(_PAGE, "Use a mini-program page path like pages/a/index.")],
    )
    params = serializers.DictField(required=False, default=dict)


class AlbumShareSerializer(LinkLimitsSerializer):
    """Without `expires_at` and `max_visits`: the album's live link for the role (made once).
    With either: a new link with those limits."""

    role = serializers.ChoiceField(
        choices=[Membership.Role.VIEWER, Membership.Role.CONTRIBUTOR],
        default=Membership.Role.VIEWER,
    )


class AlbumLinkSerializer(serializers.ModelSerializer):
    """A share link as its album's owner manages it."""

    url = serializers.SerializerMethodField()
    album_id = serializers.IntegerField()

    class Meta:
        model = ShortLink
        fields = ["code", "url", "album_id", "role", "expires_at", "max_visits", "visit_count",
                  "created_at", "revoked_at"]  # fmt: skip
        read_only_fields = fields

    def get_url(self, link) -> str:
        return public_urls(link.code)["url"]


class QrOptionsSerializer(serializers.Serializer):
    size = serializers.IntegerField(min_value=64, max_value=1024, default=400)
    margin = serializers.IntegerField(min_value=0, max_value=16, default=4)
    ec = serializers.ChoiceField(choices=["L", "M", "Q", "H"], default="M")

    def to_internal_value(self, data):
        # `?size=200&size=900` names two images, and `?ec=` none: refused, rather than one or
        # the default picked silently (DRF reads an empty query value as "not given").
        refused = {}
        for name in self.fields:
            given = data.getlist(name) if hasattr(data, "getlist") else []
            if len(given) > 1:
                refused[name] = ["Give this option once."]
            elif given == [""]:
                refused[name] = ["Give a value, or leave the option out."]
        if refused:
            raise serializers.ValidationError(refused)
        return super().to_internal_value(data)
