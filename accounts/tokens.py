"""Bearer tokens: signed, expiring, stateless (a user id and the time it was issued)."""

from django.conf import settings
from django.core import signing

_SALT = "accounts.token"


class InvalidToken(Exception):
    pass


def issue(user_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"u": user_id}, compress=False)


def read(token: str) -> int:
    """The user id in a token. Raises InvalidToken when it is forged, malformed or expired."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.AUTH_TOKEN_TTL
        )
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as exc:
        raise InvalidToken(str(exc)) from exc
    user_id = payload.get("u") if isinstance(payload, dict) else None
    if not isinstance(user_id, int):
        raise InvalidToken("no user in token")
    return user_id


def lifetime_seconds() -> int:
    return int(settings.AUTH_TOKEN_TTL.total_seconds())
