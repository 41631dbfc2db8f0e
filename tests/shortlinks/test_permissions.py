"""Who may make, resolve, revoke and share links: one table, every API operation and page.

`share` is the owner's viewer share of the members-only album; `link` is a generic link the
owner made. Anyone may resolve a link or open its page and QR images, logged in or not.
"""

import pytest

from tests.matrix import cases, send, statuses

everyone = statuses(200, 200, 200, 200, 200)

MATRIX = [
    ("POST", "/api/v1/shortlinks", {"page": "pages/x/index", "params": {}},
     statuses(201, 201, 201, 201)),
    ("GET", "/api/v1/shortlinks/{share}", None, everyone),
    ("GET", "/api/v1/shortlinks/{link}", None, everyone),
    # Only its creator or the shared album's owner revokes; whoever can resolve it may see it.
    ("DELETE", "/api/v1/shortlinks/{share}", None, statuses(204, 403, 403, 403)),
    ("DELETE", "/api/v1/shortlinks/{link}", None, statuses(204, 403, 403, 403)),
    ("POST", "/api/v1/albums/{album}/share", {"role": "contributor"}, statuses(201, 403, 403, 404)),
    # The owner manages the album's links: lists them, sets their limits.
    ("GET", "/api/v1/albums/{album}/links", None, statuses(200, 403, 403, 404)),
    ("PUT", "/api/v1/shortlinks/{share}", {"max_visits": 5}, statuses(200, 403, 403, 403)),
    ("PUT", "/api/v1/shortlinks/{link}", {"max_visits": 5}, statuses(200, 403, 403, 403)),
    ("GET", "/s/{share}", None, everyone),
    ("GET", "/s/{share}/qr.png", None, everyone),
    ("GET", "/s/{share}/qr.svg", None, everyone),
]  # fmt: skip


@pytest.fixture
def world(album, share, link, contributor, outsider):
    from album import services

    services.member_join(album=album, user=contributor, role="contributor")
    return {"album": album.pk, "share": share.code, "link": link.code}


@pytest.mark.parametrize(("method", "path", "body", "actor", "status"), cases(MATRIX))
def test_permission_matrix(request, api, world, method, path, body, actor, status):
    user = request.getfixturevalue(actor)

    response = send(api, user, method, path.format(**world), body)

    assert response.status_code == status, response.content
