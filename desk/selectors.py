"""What the desk shows a member of staff: each kind of waiting item they may decide, oldest
first, a page of each."""

from dataclasses import dataclass

from desk.kinds import KINDS, Card, Kind

PAGE = 48  # cards per kind on one page; deciding them brings the next


@dataclass
class Section:
    kind: Kind
    total: int
    cards: list[Card]


def sections_for(user) -> list[Section]:
    """The kinds `user` may decide, each with how many wait and the oldest PAGE of them."""
    shown = []
    for kind in KINDS.values():
        if not user.has_perm(kind.permission):
            continue
        total = kind.total()
        cards = [kind.card(item) for item in kind.waiting()[:PAGE]] if total else []
        shown.append(Section(kind, total, cards))
    return shown
