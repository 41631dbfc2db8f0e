"""WeChat Cloud Hosting's gateway vouches for the caller of wx.cloud.callContainer with
X-WX-OPENID and X-WX-APPID headers: with WECHAT_IDENTITY=cloudrun that is the user, no token
needed; otherwise the headers mean nothing, whoever sends them."""

import pytest

from accounts.models import User
from audit.models import LogEntry

ME = "/api/v1/me"
APPID = "wx-app"

pytestmark = pytest.mark.django_db


def gateway(openid: str, *, appid: str = APPID, unionid: str = "", source: str = "wx_client"):
    """The headers Cloud Hosting's gateway sets on a callContainer request."""
    headers = {"HTTP_X_WX_OPENID": openid, "HTTP_X_WX_APPID": appid, "HTTP_X_WX_SOURCE": source}
    if unionid:
        headers["HTTP_X_WX_UNIONID"] = unionid
    return headers


@pytest.fixture
def cloud_hosting(settings):
    settings.WECHAT_IDENTITY = "cloudrun"
    settings.WECHAT_APP_ID = APPID


def test_with_the_setting_off_the_headers_mean_nothing(api, owner):
    response = api.get(ME, **gateway(owner.openid))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_caller_the_gateway_vouches_for_is_that_user_created_on_first_sight(api, cloud_hosting):
    first = api.get(ME, **gateway("o-cloud-1", unionid="u-1"))
    again = api.get(ME, **gateway("o-cloud-1", unionid="u-1"))

    assert first.status_code == again.status_code == 200
    assert first.json()["openid"] == again.json()["openid"] == "o-cloud-1"
    assert first.json()["id"] == again.json()["id"]
    assert User.objects.get(openid="o-cloud-1").unionid == "u-1"
    assert LogEntry.objects.filter(action="user.created").count() == 1


def test_a_new_unionid_is_kept(api, owner, cloud_hosting):
    api.get(ME, **gateway(owner.openid, unionid="u-new"))

    owner.refresh_from_db()
    assert owner.unionid == "u-new"


def test_headers_for_another_mini_program_are_refused(api, owner, cloud_hosting):
    response = api.get(ME, **gateway(owner.openid, appid="wx-someone-else"))

    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


def test_an_inactive_account_is_refused(api, owner, cloud_hosting):
    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert api.get(ME, **gateway(owner.openid)).status_code == 401


def test_the_bearer_token_keeps_working_beside_it_for_clients_outside_wechat(
    api, owner, cloud_hosting
):
    assert api.as_user(owner).get(ME).json()["openid"] == owner.openid
    assert api.as_user(None).get(ME).status_code == 401


def test_writes_through_the_gateway_act_as_that_user(api, member, cloud_hosting):
    created = api.post("/api/v1/albums", {"title": "云相册", "visibility": "members"},
                       **gateway(member.openid))  # fmt: skip

    assert created.status_code == 201
    entry = LogEntry.objects.get(action="album.created")
    assert entry.actor == member


def ways_in(api) -> tuple[set, set]:
    schema = api.get("/api/schema/?format=json").json()
    me = schema["paths"]["/api/v1/me"]["get"]
    return (set(schema["components"]["securitySchemes"]),
            {name for requirement in me["security"] for name in requirement})  # fmt: skip


def test_the_schema_documents_both_ways_in_where_the_headers_are_trusted(api, cloud_hosting):
    assert ways_in(api) == ({"bearerAuth", "wechatCloudHosting"},) * 2


def test_elsewhere_the_schema_offers_the_token_only(api, db):
    assert ways_in(api) == ({"bearerAuth"},) * 2
