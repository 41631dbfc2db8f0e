"""Text hygiene for every field a user writes: what is stored is normalised, and characters
that hide, reorder or fake text are refused. Pure functions: no Django.

WeChat's reviewers try titles made only of zero-width characters, right-to-left overrides that
turn "gpj.exe" into "exe.jpg", and terminal escapes; none of them is text a person reads.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

# Embedding, override and isolate controls: they reorder what follows them on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width and format characters that show nothing on their own.
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_LINE_BREAKS = re.compile(r"\r\n?")


class TextRefused(ValueError):
    """The text cannot be stored; the message says why, for the field's error."""


def clean(value: str, *, multiline: bool = False, required: bool = True) -> str:
    """The text as stored: NFC, surrounding whitespace trimmed, CR LF as LF.

    Raises TextRefused for C0/C1 control characters (newline and tab are allowed in multi-line
    fields), bidi controls, a text with nothing visible in it, and an empty one when
    `required`. (An optional field may be emptied; it may not hold only invisible characters.)
    """
    value = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", value))
    allowed = "\n\t" if multiline else ""
    for character in value:  # before trimming: Python counts \x1c-\x1f and \x85 as spaces
        if unicodedata.category(character) == "Cc" and character not in allowed:
            raise TextRefused(
                _("Control characters are not allowed.")
                if multiline or character not in "\n\t"
                else _("Line breaks and tabs are not allowed here.")
            )
        if character in BIDI_CONTROLS:
            raise TextRefused(_("Text direction controls are not allowed."))
    value = value.strip()
    if (value or required) and not visible(value):
        raise TextRefused(_("Write something visible."))
    return value


def visible(value: str) -> bool:
    """Whether anything is left once invisible characters and whitespace are removed."""
    return any(not c.isspace() and c not in INVISIBLE for c in value)


# The same rules as regular expressions, for the OpenAPI document (Python and ECMAScript read
# them alike): what may appear, and at least one visible character.
_REFUSED = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_REFUSED_MULTILINE = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]"


def pattern(*, multiline: bool = False, required: bool = True) -> str:
    """A pattern a text matches exactly when clean() would take it (lengths aside)."""
    allowed = f"[^{_REFUSED_MULTILINE if multiline else _REFUSED}]"
    some = f"{allowed}*{_VISIBLE}{allowed}*"
    return f"^{some}$" if required else f"^({some})?$"
