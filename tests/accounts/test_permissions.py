"""Who may log in and read or change a profile: one table, every accounts API operation."""

import pytest

from tests.matrix import cases, send, statuses

MATRIX = [
    # Logging in needs no token (the sandbox WeChat client accepts any code).
    ("POST", "/api/v1/auth/login", {"code": "wx-code"}, statuses(200, 200, 200, 200, 200)),
    ("GET", "/api/v1/me", None, statuses(200, 200, 200, 200)),
    ("PATCH", "/api/v1/me", {"nickname": "New name"}, statuses(200, 200, 200, 200)),
]


@pytest.mark.parametrize(("method", "path", "body", "actor", "status"), cases(MATRIX))
def test_permission_matrix(request, api, db, method, path, body, actor, status, settings):
    settings.WECHAT_SANDBOX = True
    user = request.getfixturevalue(actor)

    response = send(api, user, method, path, body)

    assert response.status_code == status, response.content
