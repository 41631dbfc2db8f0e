"""The whole user journey as the mini-program makes it: `wx.request` (which has no PATCH) and
`wx.uploadFile` (multipart, one file field plus form fields), nothing else."""

import json

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.test import APIClient

from tests.album import pictures

pytestmark = pytest.mark.django_db(transaction=True)

WX_REQUEST_METHODS = {"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT"}


class MiniProgram:
    """One phone: logs in with wx.login's code and keeps the token, like app.js would."""

    def __init__(self, code: str):
        self.client = APIClient()
        self.token = None
        self.user = self.request("POST", "/api/v1/auth/login", {"code": code})["user"]

    def request(self, method: str, url: str, data=None, expect=(200, 201, 204)):
        """wx.request({url, method, data, header}): JSON in, JSON out."""
        assert method in WX_REQUEST_METHODS, f"wx.request cannot send {method}"
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        body = json.dumps(data) if data is not None else ""
        response = self.client.generic(method, url, body, "application/json", **headers)
        assert response.status_code in expect, (method, url, response.content)
        if url.endswith("/auth/login"):
            self.token = response.json()["token"]
        return response.json() if response.content and "json" in response["Content-Type"] else {}

    def upload_file(self, url: str, data: bytes, name: str = "file", form_data=None):
        """wx.uploadFile({url, filePath, name, formData, header}): always a multipart POST."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        fields = {**(form_data or {}), name: SimpleUploadedFile("tmp.jpg", data, "image/jpeg")}
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        response = self.client.generic(
            "POST", url, encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT, **headers
        )
        assert response.status_code in (200, 201, 204), (url, response.content)
        return response.json() if response.content else {}


def test_the_whole_journey_needs_no_patch(local_photos, settings):
    settings.WECHAT_SANDBOX = True
    ada, bo = MiniProgram("ada-code"), MiniProgram("bo-code")

    ada.request("PUT", "/api/v1/me", {"nickname": "Ada"})
    ada.upload_file("/api/v1/me/avatar", pictures.jpeg())  # after <button open-type=chooseAvatar>
    album = ada.request("POST", "/api/v1/albums", {"title": "Dali", "visibility": "members"})
    albums = f"/api/v1/albums/{album['id']}"
    ada.request("PUT", albums, {"title": "Dali 2026", "description": "", "visibility": "members"})

    # Both ways in: straight to the API, and a ticket posted to storage then completed.
    first = ada.upload_file(f"{albums}/photos", pictures.jpeg(), form_data={"caption": "Lake"})
    ticket = ada.request("POST", f"{albums}/uploads", {"content_type": "image/jpeg"})
    ada.upload_file(ticket["url"], pictures.jpeg(), form_data=ticket["fields"])
    second = ada.request("POST", f"/api/v1/uploads/{ticket['upload_id']}/complete")
    ada.request("PUT", f"/api/v1/photos/{second['id']}", {"caption": "Old town"})

    share = ada.request("POST", f"{albums}/share", {"role": "contributor"})
    qr = ada.client.get(share["qr_png"].replace("https://wx.example.com", ""))
    joined = bo.request("GET", f"/api/v1/shortlinks/{share['code']}")

    comment = bo.request("POST", f"/api/v1/photos/{first['id']}/comments", {"body": "Lovely"})
    reply = ada.request("POST", f"/api/v1/photos/{first['id']}/comments",
                        {"body": "Thanks", "parent_id": comment["id"]})  # fmt: skip
    liked = ada.request("PUT", f"/api/v1/comments/{comment['id']}/like")
    edited = bo.request("PUT", f"/api/v1/comments/{comment['id']}", {"body": "Lovely light"})
    bo.request("DELETE", f"/api/v1/comments/{reply['id']}", expect=(403,))
    ada.request("DELETE", f"/api/v1/comments/{reply['id']}")
    ada.request("DELETE", f"/api/v1/photos/{second['id']}")

    assert qr.status_code == 200
    assert joined["album_id"] == album["id"]
    assert [m["role"] for m in bo.request("GET", f"{albums}/members")["results"]] == [
        "owner", "contributor",
    ]  # fmt: skip
    assert liked == {"liked": True, "like_count": 1}
    assert edited["body"] == "Lovely light"
    photos = bo.request("GET", f"{albums}/photos")["results"]
    assert [(p["id"], p["caption"]) for p in photos] == [(first["id"], "Lake")]
    assert bo.request("GET", albums)["title"] == "Dali 2026"
    me = ada.request("GET", "/api/v1/me")
    assert (me["nickname"], me["avatar"]["review"]) == ("Ada", "unchecked")
    assert photos[0]["uploader"]["avatar"]["thumb_url"] == me["avatar"]["thumb_url"]
