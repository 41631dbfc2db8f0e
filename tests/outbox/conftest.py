from tests.album.conftest import album, shared_album  # noqa: F401  (the standing albums)
