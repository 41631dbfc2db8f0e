from django.urls import path

from comments import views

urlpatterns = [
    path(
        "photos/<int:photo_id>/comments", views.PhotoCommentsView.as_view(), name="photo-comments"
    ),
    path(
        "albums/<int:album_id>/comments", views.AlbumCommentsView.as_view(), name="album-comments"
    ),
    path("comments/<int:comment_id>", views.CommentDetailView.as_view(), name="comment-detail"),
    path("photos/<int:photo_id>/like", views.PhotoLikeView.as_view(), name="photo-like"),
    path("comments/<int:comment_id>/like", views.CommentLikeView.as_view(), name="comment-like"),
]
