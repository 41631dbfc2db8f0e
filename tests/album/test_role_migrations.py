"""The migrations that brought the role constraints repair rows the old code let through:
admin-made albums without an owner membership, roles outside the vocabulary, second owners,
links with an empty code or a role a share must not grant."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# Users as they were then too: the old code's rows are made with the old models.
BEFORE = [("album", "0003_photo_like_count"), ("shortlinks", "0001_initial"),
          ("accounts", "0003_account_deletion")]  # fmt: skip
AFTER = [("album", "0005_roles_and_removals"), ("shortlinks", "0003_role_vocabulary")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Later tests need every migration applied again, whatever this test left."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_bad_rows_from_before_the_constraints_are_repaired():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Album, Membership = old.get_model("album", "Album"), old.get_model("album", "Membership")
    ShortLink = old.get_model("shortlinks", "ShortLink")
    owner = User.objects.create(username="o", openid="o")
    scanner = User.objects.create(username="s", openid="s")
    boss = User.objects.create(username="b", openid="b")
    admin_made = Album.objects.create(owner=owner, title="Made in the admin")  # no membership
    Membership.objects.create(album=admin_made, user=scanner, role="owner")
    Membership.objects.create(album=admin_made, user=boss, role="boss")
    bad_share = ShortLink.objects.create(code="B" * 32, kind="album_share", album=admin_made,
                                         role="owner", page="pages/album/index")  # fmt: skip
    empty = ShortLink.objects.create(code="", page="pages/x/index", role="viewer")

    new = migrate(AFTER)
    Membership = new.get_model("album", "Membership")
    ShortLink = new.get_model("shortlinks", "ShortLink")

    roles = dict(Membership.objects.filter(album_id=admin_made.pk).values_list("user_id", "role"))
    assert roles == {owner.pk: "owner", scanner.pk: "viewer", boss.pk: "viewer"}
    share = ShortLink.objects.get(pk=bad_share.pk)
    assert (share.role, share.revoked_at is not None) == ("viewer", True)
    fixed = ShortLink.objects.get(pk=empty.pk)
    assert (len(fixed.code), fixed.role, fixed.revoked_at is not None) == (32, "", True)
