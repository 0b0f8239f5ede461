"""Pure checks of the commission: terms that overlap, who presides, who may vote on an item.

No database, no clock: the services pass the rows and the dates in.
"""

from collections.abc import Collection, Iterable
from datetime import date

from portal.commission.models import CommissionMember, Position


def periods_overlap(start_a: date, end_a: date | None, start_b: date, end_b: date | None) -> bool:
    """Whether two inclusive periods share a day (None: open-ended)."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def clashing_terms(
    members: Iterable[CommissionMember], *, position: Position, start: date, end: date | None
) -> list[CommissionMember]:
    """The terms of a single position (chair, deputy chair; A-RC-COMP) that a new term would overlap."""
    return [
        m for m in members if m.position == position and periods_overlap(m.term_from, m.last_day, start, end)
    ]


def same_person_terms(
    members: Iterable[CommissionMember], *, iin: str, start: date, end: date | None
) -> list[CommissionMember]:
    """The person's own terms that a new term would overlap: one place in the commission at a time."""
    return [m for m in members if m.iin == iin and periods_overlap(m.term_from, m.last_day, start, end)]


def voting_members(members: Iterable[CommissionMember], day: date) -> list[CommissionMember]:
    """The members in force on a day who count for the quorum and vote (the secretary does not)."""
    return [m for m in members if m.votes and m.in_force_on(day)]


def presiding(members: Iterable[CommissionMember], present: Collection[object]) -> CommissionMember | None:
    """Who chairs the meeting: the chair if present, otherwise the deputy chair if present (rules.md
    2.1; anchors row 32: deputy chair substitution). Their vote is the casting vote (A-20)."""
    by_position = {m.position: m for m in members if m.id in present}
    return by_position.get(Position.CHAIR) or by_position.get(Position.DEPUTY_CHAIR)
