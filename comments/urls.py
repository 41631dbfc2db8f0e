from django.urls import path

from comments import views

urlpatterns = [
    path("photos/<id:photo_id>/comments", views.PhotoCommentsView.as_view(), name="photo-comments"),
    path("albums/<id:album_id>/comments", views.AlbumCommentsView.as_view(), name="album-comments"),
    path("comments/<id:comment_id>", views.CommentDetailView.as_view(), name="comment-detail"),
    path("photos/<id:photo_id>/like", views.PhotoLikeView.as_view(), name="photo-like"),
    path("comments/<id:comment_id>/like", views.CommentLikeView.as_view(), name="comment-like"),
]
