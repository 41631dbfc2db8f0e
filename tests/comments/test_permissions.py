"""Who may read, write, edit, delete and like comments: one table, every API operation.

The album is members-only; `member` (a viewer) wrote the comment on the contributor's photo.
Anyone who may see the album may comment and like; the author edits; the author and the
album's owner delete; others who see the album get a 403, the rest a 404.
"""

import pytest

from tests.matrix import cases, send, statuses

body = {"body": "Hello"}

MATRIX = [
    ("GET", "/api/v1/photos/{photo}/comments", None, statuses(200, 200, 200, 404)),
    ("POST", "/api/v1/photos/{photo}/comments", body, statuses(201, 201, 201, 404)),
    ("GET", "/api/v1/albums/{album}/comments", None, statuses(200, 200, 200, 404)),
    ("POST", "/api/v1/albums/{album}/comments", body, statuses(201, 201, 201, 404)),
    ("GET", "/api/v1/comments/{comment}", None, statuses(200, 200, 200, 404)),
    ("PATCH", "/api/v1/comments/{comment}", {"body": "Edited"}, statuses(403, 200, 403, 404)),
    ("DELETE", "/api/v1/comments/{comment}", None, statuses(204, 204, 403, 404)),
    ("PUT", "/api/v1/photos/{photo}/like", None, statuses(200, 200, 200, 404)),
    ("DELETE", "/api/v1/photos/{photo}/like", None, statuses(200, 200, 200, 404)),
    ("PUT", "/api/v1/comments/{comment}/like", None, statuses(200, 200, 200, 404)),
    ("DELETE", "/api/v1/comments/{comment}/like", None, statuses(200, 200, 200, 404)),
]


@pytest.fixture
def world(album, photo, comment, outsider):
    return {"album": album.pk, "photo": photo.pk, "comment": comment.pk}


@pytest.mark.parametrize(("method", "path", "body", "actor", "status"), cases(MATRIX))
def test_permission_matrix(request, api, world, method, path, body, actor, status):
    user = request.getfixturevalue(actor)

    response = send(api, user, method, path.format(**world), body)

    assert response.status_code == status, response.content
