"""The one content check every user text goes through, whoever writes it (API, admin, command).

Each field is first made clean (moderation.text: normalised, no control or direction
characters, something visible), then, with CONTENT_CHECK=wechat, sent to WeChat's msgSecCheck
with its author's openid and the scene that fits it. Call before any transaction opens: it is
an HTTP call and must not hold a database lock while it waits.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from config.problems import ApplicationError, Invalid
from moderation import text
from wechat import client as wechat


@dataclass(frozen=True)
class TextField:
    """A kind of user text: its limit, whether it may hold line breaks or be empty, and the
    msgSecCheck scene it is checked in."""

    max_length: int
    scene: int
    multiline: bool = False
    required: bool = True


NICKNAME = TextField(32, wechat.SCENE_PROFILE, required=False)  # empty: "WeChat user"
COMMENT = TextField(500, wechat.SCENE_COMMENT, multiline=True)
TITLE = TextField(100, wechat.SCENE_SOCIAL_LOG)
DESCRIPTION = TextField(2000, wechat.SCENE_SOCIAL_LOG, multiline=True, required=False)
CAPTION = TextField(500, wechat.SCENE_SOCIAL_LOG, multiline=True, required=False)
REPORT_DETAIL = TextField(200, wechat.SCENE_COMMENT, multiline=True, required=False)

# What a checked text became: shown to everyone, or held for staff and shown only to its author.
SHOWN, HELD = "shown", "held"


class ContentRejected(ApplicationError):
    code = "content_rejected"
    default_detail = "WeChat's content check did not accept this text; please change it."

    def __init__(self, field: str):
        message = _("WeChat's content check did not accept this text; please change it.")
        super().__init__(extra={"errors": {field: [message]}})


def cleaned(name: str, value: str, kind: TextField) -> str:
    """The value as it will be stored. Raises Invalid naming the field."""
    try:
        value = text.clean(value, multiline=kind.multiline, required=kind.required)
    except text.TextRefused as refused:
        raise Invalid(name, str(refused)) from None
    if len(value) > kind.max_length:
        raise Invalid(name, _("At most %(n)d characters.") % {"n": kind.max_length})
    return value


def checked(*, author, fields: dict[str, tuple[str, TextField]]) -> dict[str, tuple[str, str]]:
    """Clean and check several fields of one write: name -> (value as stored, SHOWN or HELD).

    All are cleaned before any is sent to WeChat, so a bad field costs no call. Raises Invalid
    or ContentRejected naming the first field refused (nothing is stored by the caller), or
    WeChatUnavailable (503). Texts by someone without an openid (staff in the admin) are not
    user content and are not sent.
    """
    values = {name: cleaned(name, value, kind) for name, (value, kind) in fields.items()}
    return {name: (value, _verdict(author, name, value, fields[name][1]))
            for name, value in values.items()}  # fmt: skip


def check(*, author, name: str, value: str, kind: TextField) -> tuple[str, str]:
    """One field: checked(), for a write of a single text."""
    return checked(author=author, fields={name: (value, kind)})[name]


def is_checked(author) -> bool:
    """Whether this author's texts are sent to WeChat."""
    return settings.CONTENT_CHECK == "wechat" and bool(getattr(author, "openid", None))


def _verdict(author, name: str, value: str, kind: TextField) -> str:
    if not value or not is_checked(author):
        return SHOWN
    verdict = wechat.get_client().check_text(openid=author.openid, content=value,
                                             scene=kind.scene)  # fmt: skip
    if verdict == "risky":
        raise ContentRejected(name)
    return HELD if verdict == "review" else SHOWN


def apply(obj, texts: dict[str, tuple[str, str]], *, hide_while_held=()) -> list[str]:
    """Set checked texts on a model instance: a shown text in its field (any held one for that
    field dropped), a held one in `held_<field>`, the field itself unchanged, or emptied when
    it is in `hide_while_held` (a held nickname: others see none). Returns the fields set."""
    written = []
    for name, (value, outcome) in texts.items():
        if outcome == HELD:
            setattr(obj, f"held_{name}", value)
            written.append(f"held_{name}")
            if name in hide_while_held:
                setattr(obj, name, "")
                written.append(name)
        else:
            setattr(obj, name, value)
            setattr(obj, f"held_{name}", "")
            written += [name, f"held_{name}"]
    return written


def held_fields(obj, names) -> list[str]:
    """The fields of `obj` with a text waiting for staff."""
    return [name for name in names if getattr(obj, f"held_{name}")]


def holding(names) -> Q:
    """The rows with a text waiting for staff in any of these fields (a filter)."""
    waiting = Q()
    for name in names:
        waiting |= ~Q(**{f"held_{name}": ""})
    return waiting


def release(obj, names, *, approve: bool) -> dict[str, list[str]]:
    """Staff's decision on the held texts of `obj`: approved ones replace what everyone sees,
    rejected ones are dropped (what everyone sees stays). Returns the changes, for the log."""
    changes = {}
    for name in held_fields(obj, names):
        held = getattr(obj, f"held_{name}")
        if approve:
            changes[name] = [getattr(obj, name), held]
            setattr(obj, name, held)
        else:
            changes[f"held_{name}"] = [held, ""]
        setattr(obj, f"held_{name}", "")
    return changes


def as_author_sees(data: dict, obj, names) -> dict:
    """A serialized object as its author sees it: held texts in place of the shown ones, and
    `held` naming them (the client can say "under review")."""
    held = held_fields(obj, names)
    for name in held:
        data[name] = getattr(obj, f"held_{name}")
    data["held"] = held
    return data
