"""The commission's composition and voting settings, kept by the region's administrator (issue 7 item 1;
A-RC-1: the history shows who was a member on any past date; A-RC-COMP: one chair, one deputy chair;
rules.md A-20: the voting settings).

Karaganda is used for the changes: the meeting tests count Astana's demo commission.
"""

import asyncio
import re
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from portal.auth.models import RoleAssignment
from portal.auth.roles import Role
from portal.commission.models import CommissionMember, Position
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import make_iin
from portal.tenancy.models import VotingSettings
from tests.conftest import TODAY, csrf_headers, sign_in

KARAGANDA = "KZ-35"
URL = "/karaganda/admin/commission"


@pytest.fixture
def admin(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        assert sign_in(client, "admin-daniyar").status_code == 303
        yield client


def _rows(settings: Settings, statement: sa.Select[tuple[object]]) -> list[object]:
    async def work() -> list[object]:
        async with session_scope(settings) as session:
            return list((await session.execute(statement)).scalars())

    return asyncio.run(work())


def _term(iin: str, position: str, **extra: str) -> dict[str, str]:
    return {
        "iin": iin,
        "iin_confirm": iin,
        "full_name": "Тестов Тест Тестұлы",
        "post": "Head of the akim's apparatus",
        "position": position,
        "term_from": TODAY.isoformat(),
        **extra,
    }


def test_a_rc_comp_the_demo_commission_is_listed_with_its_positions(admin: TestClient[Litestar]) -> None:
    page = admin.get("/astana/admin/commission")
    assert page.status_code == 200
    text = page.text
    assert "Төлеуов Асқар" in text and "Оспанов Марат" in text  # the chair, the deputy chair (TU head)
    for label in ("Chair", "Deputy chair", "Member", "Secretary"):
        assert label in text
    assert make_iin(date(1970, 2, 14), False, 6306) not in text  # IINs are masked


def test_a_rc_1_an_added_term_grants_the_role_and_an_ended_term_stays_in_the_history(
    admin: TestClient[Litestar], database: Settings
) -> None:
    iin = make_iin(date(1979, 5, 5), False, 6501)
    added = admin.post(URL, data=_term(iin, "member"), headers=csrf_headers(admin), follow_redirects=False)
    assert added.status_code == 303, added.text
    member = next(
        m
        for m in _rows(database, sa.select(CommissionMember).where(CommissionMember.iin == iin))  # type: ignore[arg-type]
        if isinstance(m, CommissionMember)
    )
    assert member.position == Position.MEMBER and member.role_assignment_id is not None
    role = _rows(database, sa.select(RoleAssignment).where(RoleAssignment.id == member.role_assignment_id))  # type: ignore[arg-type]
    assert isinstance(role[0], RoleAssignment) and role[0].role == Role.COMMISSION_MEMBER
    assert role[0].tenant_id == KARAGANDA and role[0].revoked_at is None

    ended = admin.post(
        f"{URL}/{member.id}/end",
        data={"ended_on": TODAY.isoformat(), "reason": "Moved to another post"},
        headers=csrf_headers(admin),
        follow_redirects=False,
    )
    assert ended.status_code == 303, ended.text
    page = admin.get(URL).text
    history = page.split('id="history-heading"')[1]
    assert "Тестов Тест Тестұлы" in history and "Moved to another post" in history
    role = _rows(database, sa.select(RoleAssignment).where(RoleAssignment.id == member.role_assignment_id))  # type: ignore[arg-type]
    assert isinstance(role[0], RoleAssignment) and role[0].revoked_at is not None
    actions = _rows(
        database,
        sa.select(AuditEvent.action).where(AuditEvent.object_id == str(member.id)),  # type: ignore[arg-type]
    )
    assert actions == ["commission.member_added", "commission.member_term_ended"]
    again = admin.post(
        f"{URL}/{member.id}/end",
        data={"ended_on": TODAY.isoformat(), "reason": "again"},
        headers=csrf_headers(admin),
    )
    assert again.status_code == 422 and "already ended" in again.text


def test_a_rc_comp_a_second_chair_in_force_is_refused(
    admin: TestClient[Litestar], database: Settings
) -> None:
    iin = make_iin(date(1968, 1, 9), False, 6502)
    refused = admin.post(URL, data=_term(iin, "chair"), headers=csrf_headers(admin))
    assert refused.status_code == 422
    assert "already has a chair" in refused.text
    deputy = admin.post(URL, data=_term(iin, "deputy_chair"), headers=csrf_headers(admin))
    assert deputy.status_code == 422 and "already has a deputy chair" in deputy.text
    assert _rows(database, sa.select(CommissionMember.id).where(CommissionMember.iin == iin)) == []  # type: ignore[arg-type]


def test_a_rc_comp_a_future_chair_clashes_with_an_open_ended_chair(admin: TestClient[Litestar]) -> None:
    """Only overlapping terms clash; the demo chair's term runs until further notice."""
    iin = make_iin(date(1966, 3, 3), False, 6503)
    data = _term(iin, "chair", term_from="2099-01-01", term_to="2099-12-31")
    refused = admin.post(URL, data=data, headers=csrf_headers(admin))
    assert refused.status_code == 422 and "already has a chair" in refused.text


def test_term_dates_must_be_ordered_and_the_iin_valid(admin: TestClient[Litestar]) -> None:
    iin = make_iin(date(1981, 7, 7), True, 6504)
    reversed_term = admin.post(
        URL, data=_term(iin, "member", term_to="2020-01-01"), headers=csrf_headers(admin)
    )
    assert reversed_term.status_code == 422
    assert "cannot be before its start" in reversed_term.text
    bad = admin.post(URL, data=_term("123456789012", "member"), headers=csrf_headers(admin))
    assert bad.status_code == 422 and "valid 12-digit IIN" in bad.text
    one_place = admin.post(
        URL, data=_term(make_iin(date(1982, 8, 8), True, 7107), "member"), headers=csrf_headers(admin)
    )
    assert one_place.status_code == 422 and "already has a place" in one_place.text  # member-aliya


def test_a20_voting_settings_are_saved_and_audited(admin: TestClient[Litestar], database: Settings) -> None:
    page = admin.get(f"{URL}/voting")
    assert page.status_code == 200
    assert re.search(r'<option value="2/3" selected>', page.text)  # the A-20 default
    saved = admin.post(
        f"{URL}/voting",
        data={"quorum": "3/4", "majority_of": "members", "remote_participation": "on"},
        headers=csrf_headers(admin),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    row = _rows(database, sa.select(VotingSettings).where(VotingSettings.tenant_id == KARAGANDA))  # type: ignore[arg-type]
    assert isinstance(row[0], VotingSettings)
    assert (row[0].quorum_numerator, row[0].quorum_denominator, row[0].majority_of) == (3, 4, "members")
    assert not row[0].chair_casting_vote and row[0].remote_participation and not row[0].secret_ballot
    clauses = _rows(
        database,
        sa.select(AuditEvent.clause).where(  # type: ignore[arg-type]
            AuditEvent.action == "commission.voting_settings", AuditEvent.tenant_id == KARAGANDA
        ),
    )
    assert clauses and clauses[-1] == "A-20"
    wrong = admin.post(f"{URL}/voting", data={"quorum": "7/8"}, headers=csrf_headers(admin))
    assert wrong.status_code == 422
