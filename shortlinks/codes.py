"""Short codes: 32 characters of Crockford base32 from `secrets` (160 bits). Pure functions."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 32
_VALID = frozenset(ALPHABET)
# What people and OCR misread: O for zero, I and L for one (Crockford's decoding rules).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be one."""
    if not isinstance(raw, str) or len(raw) != LENGTH:
        return None
    code = raw.upper().translate(_LOOKALIKES)
    return code if _VALID.issuperset(code) else None
