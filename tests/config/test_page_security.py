"""What every page tells the browser, and what the probes and docs tell strangers."""

import importlib

import pytest
from django.urls import clear_url_caches

from tests.factories import LinkFactory


@pytest.mark.parametrize("path", ["/s/{code}", "/admin/login/", "/api/docs/"])
def test_every_html_page_carries_a_content_security_policy(client, owner, path):
    link = LinkFactory(creator=owner)

    response = client.get(path.format(code=link.code))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert "<script>" not in html  # no inline script for the policy to refuse


def test_the_api_docs_and_schema_can_be_hidden(client, settings, db):
    import config.urls

    settings.API_DOCS = False
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        hidden = [client.get("/api/docs/").status_code, client.get("/api/schema/").status_code]
    finally:
        settings.API_DOCS = True
        importlib.reload(config.urls)
        clear_url_caches()

    assert hidden == [404, 404]
    assert client.get("/api/schema/").status_code == 200


def test_readyz_names_a_failing_dependency_to_probes_only(client, settings, db):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "x", "endpoint_url": "http://127.0.0.1:9",
                    "access_key": "k", "secret_key": "s", "region_name": "us-east-1"},
    }}  # fmt: skip

    probe = client.get("/readyz", REMOTE_ADDR="127.0.0.1")
    stranger = client.get("/readyz", REMOTE_ADDR="203.0.113.5")

    assert (probe.status_code, probe.json()["checks"]["storage"]) == (503, "fail")
    assert (stranger.status_code, stranger.json()) == (503, {"status": "fail"})
