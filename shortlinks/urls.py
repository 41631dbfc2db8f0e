from django.urls import path

from shortlinks import views

api_urlpatterns = [
    path("shortlinks", views.ShortLinkCreateView.as_view(), name="shortlink-create"),
    path("shortlinks/<str:code>", views.ShortLinkDetailView.as_view(), name="shortlink-detail"),
    path("albums/<id:album_id>/share", views.AlbumShareView.as_view(), name="album-share"),
    path("albums/<id:album_id>/links", views.AlbumLinksView.as_view(), name="album-links"),
]

# The QR code's text uses /S/ (upper case, for QR alphanumeric mode); people type /s/.
page_urlpatterns = (
    [path(f"{prefix}/<str:code>", views.landing, name=f"landing-{prefix}") for prefix in ("s", "S")]
    + [
        path(
            f"{prefix}/<str:code>/qr.{fmt}", getattr(views, f"qr_{fmt}"), name=f"qr-{fmt}-{prefix}"
        )
        for prefix in ("s", "S")
        for fmt in ("png", "svg")
    ]
    + [
        path(f"{prefix}/<str:code>/wxacode", views.wxacode, name=f"wxacode-{prefix}")
        for prefix in ("s", "S")
    ]
)
