from django.urls import path

from album import views

urlpatterns = [
    path("albums", views.AlbumListView.as_view(), name="album-list"),
    path("albums/<id:album_id>", views.AlbumDetailView.as_view(), name="album-detail"),
    path("albums/<id:album_id>/members", views.AlbumMembersView.as_view(), name="album-members"),
    path(
        "albums/<id:album_id>/members/<id:user_id>",
        views.AlbumMemberView.as_view(),
        name="album-member",
    ),
    path("albums/<id:album_id>/photos", views.AlbumPhotosView.as_view(), name="album-photos"),
    path(
        "albums/<id:album_id>/photos/delete",
        views.AlbumPhotosDeleteView.as_view(),
        name="album-photos-delete",
    ),
    path(
        "albums/<id:album_id>/photos/check",
        views.AlbumPhotosCheckView.as_view(),
        name="album-photos-check",
    ),
    path("albums/<id:album_id>/uploads", views.AlbumUploadsView.as_view(), name="album-uploads"),
    path("uploads/local", views.LocalUploadView.as_view(), name="upload-local"),
    path(
        "uploads/<uuid:upload_id>/complete",
        views.UploadCompleteView.as_view(),
        name="upload-complete",
    ),
    path("photos/move", views.PhotosMoveView.as_view(), name="photos-move"),
    path("photos/<id:photo_id>", views.PhotoDetailView.as_view(), name="photo-detail"),
]
