"""Short links over the API, and the pages a phone camera opens outside WeChat."""

import contextlib
import functools
import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from album import selectors as album_selectors
from album.models import Album
from config.cache import count
from config.etags import located
from config.negotiation import JsonOnlyNegotiation
from config.pagination import ordered_by
from config.problems import ApplicationError, NotFound, application_error_response
from config.throttles import client_address
from config.views import APIView, GenericAPIView
from idempotency.views import idempotent
from media import storage
from shortlinks import qr, selectors, services, wxacodes
from shortlinks.serializers import (
    AlbumLinkSerializer,
    AlbumShareSerializer,
    LinkLimitsSerializer,
    QrOptionsSerializer,
    ShortLinkCreateSerializer,
    ShortLinkSerializer,
    link_body,
)
from wechat.client import WeChatUnavailable


class ShortLinkCreateView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "shortlink_create"

    @extend_schema(
        request=ShortLinkCreateSerializer, responses={201: ShortLinkSerializer}, tags=["shortlinks"]
    )
    @idempotent
    def post(self, request):
        serializer = ShortLinkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.shortlink_create(creator=request.user, **serializer.validated_data)
        body = ShortLinkSerializer(selectors.meta_of(link)).data
        response = Response(body, status=status.HTTP_201_CREATED)
        return located(response, reverse("shortlink-detail", args=[link.code]))


class ShortLinkDetailView(APIView):
    content_negotiation_class = JsonOnlyNegotiation

    READS = ("GET", "HEAD")

    def get_permissions(self):
        # Anyone may resolve a scanned code; logging in only adds joining the album.
        if self.request.method in self.READS:
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        # A scan writes nothing a throttle guards (visits are counted in memory), and the write
        # throttle would only be built to let it through.
        return [] if self.request.method in self.READS else super().get_throttles()

    def perform_authentication(self, request):
        # A scan needs no token: one that expired (a mini-program opened after a week) is
        # ignored, so the link opens as for anyone, rather than a 401.
        if request.method not in self.READS:
            return super().perform_authentication(request)
        with contextlib.suppress(exceptions.AuthenticationFailed):
            request.user  # noqa: B018 (authenticates; a bad token leaves the anonymous user)

    @extend_schema(responses={200: ShortLinkSerializer}, tags=["shortlinks"])
    def get(self, request, code: str):
        if request.method == "HEAD":  # a look, not a visit: nothing counted, nobody joins
            meta = services.shortlink_status(code)
        else:
            meta = services.shortlink_resolve(raw_code=code, user=request.user)
        # The hot path: plain JSON bytes of the serializer's shape, without DRF's serializer
        # instance and renderer (the schema above still holds; a test compares the two).
        body = json.dumps(link_body(meta), ensure_ascii=False, separators=(",", ":"))
        return HttpResponse(body.encode(), content_type="application/json")

    @extend_schema(request=LinkLimitsSerializer, responses={200: ShortLinkSerializer},
                   tags=["shortlinks"])  # fmt: skip
    def put(self, request, code: str):
        serializer = LinkLimitsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.link_limits_set(raw_code=code, actor=request.user,
                                        **serializer.validated_data)  # fmt: skip
        return Response(ShortLinkSerializer(selectors.meta_of(link)).data)

    @extend_schema(responses={204: None}, tags=["shortlinks"])
    def delete(self, request, code: str):
        services.shortlink_revoke(raw_code=code, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumLinksView(GenericAPIView):
    serializer_class = AlbumLinkSerializer
    pagination_class = ordered_by("-created_at", "-id")

    @extend_schema(responses={200: AlbumLinkSerializer(many=True)}, tags=["shortlinks"])
    def get(self, request, album_id: int):
        album = album_selectors.album_get(user=request.user, album_id=album_id)
        page = self.paginate_queryset(selectors.album_links(album, request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AlbumShareView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "shortlink_create"

    @extend_schema(
        request=AlbumShareSerializer,
        responses={201: ShortLinkSerializer, 200: ShortLinkSerializer},
        tags=["shortlinks"],
    )
    def post(self, request, album_id: int):
        album = album_selectors.album_get(user=request.user, album_id=album_id)
        serializer = AlbumShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link, created = services.album_share(album=album, actor=request.user,
                                             **serializer.validated_data)  # fmt: skip
        status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        response = Response(ShortLinkSerializer(selectors.meta_of(link)).data, status=status_code)
        if created:
            located(response, reverse("shortlink-detail", args=[link.code]))
        return response


# --- Outside the API: what a browser or a QR reader fetches ---------------------------------

QR_CACHE_TTL = 24 * 3600
_QR_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
_IMMUTABLE = "public, max-age=31536000, immutable"


# A scan fetches the default image; only a designer's request carries options to validate.
_QR_DEFAULTS = {name: field.default for name, field in QrOptionsSerializer().fields.items()}


@functools.lru_cache(maxsize=4)
def _base_url_tag(base_url: str) -> str:
    """The image depends on the base URL too: a new base URL must not serve old bytes."""
    return hashlib.sha256(base_url.encode()).hexdigest()[:12]


# Images kept in the cache: the default, and these sizes with the default margin and level.
# Any other combination (there are 130,000 per link) is rendered each time it is asked for,
# at most QR_RENDERS_PER_MINUTE a minute per address, so nobody fills Redis with variants.
CACHED_QR_SIZES = {200, 256, 300, 400, 512, 600, 800, 1024}


class TooManyRenders(ApplicationError):
    code = "throttled"
    default_detail = "Too many QR images with custom options; try again in a minute."
    retry_after = 60


def qr_cache_key(fmt: str, code: str, options: dict, base_url: str) -> str:
    """Where a rendered QR image is kept (options: size, margin, ec)."""
    o = options
    return f"sl:qr:v1:{fmt}:{code}:{o['size']}:{o['margin']}:{o['ec']}:{_base_url_tag(base_url)}"


def _qr(request, code: str, fmt: str) -> HttpResponse:
    try:
        o = _QR_DEFAULTS
        if request.GET:
            options = QrOptionsSerializer(data=request.GET)
            options.is_valid(raise_exception=True)
            o = options.validated_data
        base_url = settings.SHORTLINK_BASE_URL
        kept = o is _QR_DEFAULTS or (
            o["size"] in CACHED_QR_SIZES
            and (o["margin"], o["ec"]) == (_QR_DEFAULTS["margin"], _QR_DEFAULTS["ec"])
        )
        if not kept:
            renders = count(f"qr:renders:{client_address(request)}", timeout=60)
            if renders > settings.QR_RENDERS_PER_MINUTE:
                raise TooManyRenders()

        def key_of(code: str) -> str:
            return qr_cache_key(fmt, code, o, base_url)

        meta, cached = services.shortlink_status_with(code, key_of if kept else None)
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.detail.items()}
        invalid = ApplicationError("The QR options are invalid.", code="invalid",
                                   extra={"errors": errors})  # fmt: skip
        return application_error_response(invalid)
    except ApplicationError as exc:
        return application_error_response(exc)

    if cached is None:
        body = (qr.png if fmt == "png" else qr.svg)(qr.link_text(base_url, meta["code"]), **o)
        cached = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
        if kept:
            cache.set(key_of(meta["code"]), cached, QR_CACHE_TTL)
    body, etag = cached
    return _immutable_image(request, body, _QR_TYPES[fmt], etag)


def _immutable_image(request, body: bytes, content_type: str, etag: str) -> HttpResponse:
    """An image that never changes for its code: strong ETag, a year's cache, 304 on a match."""
    if etag in [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = _IMMUTABLE
    return response


WXACODE_MAX_BYTES = 2 * 1024 * 1024


def wxacode_key(code: str) -> str:
    return f"sl:wxacode:v1:{code}"


@csrf_exempt  # read-only pages: any other method is a 405, not a CSRF page
@require_GET
def wxacode(request, code: str):
    """The link's mini-program code: made once (in the background, or now if still missing)."""
    try:
        meta, cached = services.shortlink_status_with(code, wxacode_key)
        if cached is None:
            link = wxacodes.wxacode_make(link_id=meta["id"])
            if link is None:
                raise NotFound("No such link.")
            if not link.wxacode_key:
                raise WeChatUnavailable(
                    "WeChat refused to make this link's mini-program code; staff can see why.",
                    code="wechat_unavailable",
                )
            body = storage.read(link.wxacode_key, limit=WXACODE_MAX_BYTES)
            cached = (body, link.wxacode_type, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
            cache.set(wxacode_key(meta["code"]), cached, QR_CACHE_TTL)
    except ApplicationError as exc:
        return application_error_response(exc)
    body, content_type, etag = cached
    return _immutable_image(request, body, content_type, etag)


@csrf_exempt  # read-only pages: any other method is a 405, not a CSRF page
@require_GET
def qr_png(request, code: str):
    return _qr(request, code, "png")


@csrf_exempt  # read-only pages: any other method is a 405, not a CSRF page
@require_GET
def qr_svg(request, code: str):
    return _qr(request, code, "svg")


def open_in_wechat_url(meta: dict) -> str | None:
    """WeChat's plain-text URL scheme opening the link's page with `scene` = its code, as a
    mini-program code would; None without an app id (the sandbox)."""
    if not settings.WECHAT_APP_ID:
        return None
    query = urlencode({"appid": settings.WECHAT_APP_ID, "path": wxacodes.page_of_meta(meta),
                       "query": urlencode({"scene": meta["code"]}),
                       "env_version": settings.WXACODE_ENV_VERSION})  # fmt: skip
    return f"weixin://dl/business/?{query}"


@csrf_exempt  # read-only pages: any other method is a 405, not a CSRF page
@require_GET
def landing(request, code: str):
    """The page a phone camera opens: what was shared and how to open it in WeChat, in the
    request's language (LocaleMiddleware: Chinese unless English is preferred)."""
    # The page depends only on the link (and its album), the language and whether WeChat's
    # browser asks: it is rendered once and kept with the link's cached metadata (fetched with
    # it), forgotten with it by every change to the link or its album (selectors.forget). It
    # is handed out only after the link's state is checked, so an expired or revoked link
    # never gets it.
    in_wechat = "MicroMessenger" in request.META.get("HTTP_USER_AGENT", "")
    language = translation.get_language()

    def key_of(code: str) -> str:
        return selectors.page_key(code, language, in_wechat)

    try:
        meta, html = services.shortlink_status_with(code, key_of)
    except ApplicationError as exc:
        context = {"status": exc.status, "code": exc.code}
        return render(request, "shortlinks/unavailable.html", context, status=exc.status)

    if html is None:
        html = render_to_string("shortlinks/landing.html", _landing_context(meta, in_wechat))
        cache.set(key_of(meta["code"]), html, selectors.META_TTL)
    response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    response["Vary"] = "Accept-Language, User-Agent"
    return response


def _landing_context(meta: dict, in_wechat: bool) -> dict:
    album = None
    if meta["album_id"]:
        album = Album.objects.select_related("owner", "cover").filter(pk=meta["album_id"]).first()
    cover_url = None
    if album is not None and album.cover is not None:
        cover_url = storage.public_url(album.cover.thumb.name)
    base = settings.SHORTLINK_BASE_URL
    return {
        "meta": meta,
        "album": album,
        "cover_url": cover_url,
        "qr_svg": f"/s/{meta['code']}/qr.svg",
        "wxacode": f"/s/{meta['code']}/wxacode",
        "open_url": open_in_wechat_url(meta),
        "in_wechat": in_wechat,
        "page_url": f"{base}/s/{meta['code']}",
        "app_name": settings.WECHAT_MINIPROGRAM_NAME,
    }
