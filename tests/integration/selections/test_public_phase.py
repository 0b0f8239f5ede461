"""The SQL filter and the Python classification of public phases agree (cl. 6(1), 7; rules.md A-35)."""

import asyncio
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.selections.models import Selection, SelectionStatus
from portal.selections.phases import PublicPhase, phase_condition, public_phase
from tests.conftest import TODAY


def _phases_by_sql(settings: Settings, day: date) -> dict[object, set[PublicPhase]]:
    async def work() -> dict[object, set[PublicPhase]]:
        found: dict[object, set[PublicPhase]] = {}
        async with session_scope(settings) as session:
            for phase in PublicPhase:
                ids = (
                    await session.execute(sa.select(Selection.id).where(phase_condition(phase, day)))
                ).scalars()
                for selection_id in ids:
                    found.setdefault(selection_id, set()).add(phase)
        return found

    return asyncio.run(work())


def _all(settings: Settings) -> list[Selection]:
    async def work() -> list[Selection]:
        async with session_scope(settings) as session:
            return list((await session.execute(sa.select(Selection))).scalars())

    return asyncio.run(work())


@pytest.mark.parametrize("shift", [-400, -30, -1, 0, 1, 29, 365])
def test_sql_and_python_phases_agree_on_every_seeded_selection(database: Settings, shift: int) -> None:
    day = TODAY + timedelta(days=shift)
    by_sql = _phases_by_sql(database, day)
    for selection in _all(database):
        expected = public_phase(selection.status, selection.intake_start, selection.intake_end, day)
        assert by_sql.get(selection.id, set()) == ({expected} if expected else set()), selection.reference


def test_cl7_intake_is_open_through_its_last_day() -> None:
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    status = SelectionStatus.ANNOUNCED
    assert public_phase(status, start, end, date(2025, 2, 28)) == PublicPhase.UPCOMING
    assert public_phase(status, start, end, start) == PublicPhase.OPEN
    assert public_phase(status, start, end, end) == PublicPhase.OPEN
    assert public_phase(status, start, end, date(2025, 4, 1)) == PublicPhase.CLOSED


def test_drafts_are_never_public() -> None:
    for status in (
        SelectionStatus.DRAFT,
        SelectionStatus.AWAITING_COMMISSION,
        SelectionStatus.AWAITING_AGREEMENT,
        SelectionStatus.AGREED,
    ):
        assert public_phase(status, date(2025, 3, 1), date(2025, 3, 31), date(2025, 3, 5)) is None
