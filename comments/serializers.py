"""Shapes of the comments API."""

from rest_framework import serializers

from accounts.serializers import UserPublicSerializer
from comments.models import Comment
from config.serializers import StrictInputSerializer
from moderation import services as moderation
from moderation.fields import UserTextField


class CommentSerializer(serializers.ModelSerializer):
    author = UserPublicSerializer(read_only=True, allow_null=True)
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    album_id = serializers.IntegerField(read_only=True)
    photo_id = serializers.IntegerField(read_only=True, allow_null=True)
    liked_by_me = serializers.BooleanField(read_only=True, default=False)
    removed = serializers.BooleanField(
        read_only=True,
        help_text="A deleted or hidden comment kept in a list because it has replies: its "
        "author is null and its body empty.",
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "body",
            "parent_id",
            "album_id",
            "photo_id",
            "created_at",
            "edited_at",
            "like_count",
            "liked_by_me",
            "review",
            "removed",
        ]
        read_only_fields = fields

    def to_representation(self, comment):
        data = super().to_representation(comment)
        if comment.removed:
            data.update(author=None, body="", like_count=0, liked_by_me=False)
        return data


class CommentCreateSerializer(StrictInputSerializer):
    body = UserTextField(moderation.COMMENT)
    parent_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class CommentEditSerializer(StrictInputSerializer):
    body = UserTextField(moderation.COMMENT)


class LikeSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    like_count = serializers.IntegerField()
