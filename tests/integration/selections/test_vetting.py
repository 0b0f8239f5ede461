"""Cl. 11 checks before the interview (issue 6 item 6): the checklist with overdue requests, a
non-compliant conclusion proposed for removal under cl. 13(3), the commission's decision recorded
by its secretary (rules.md 3.7, A-16), and closing vetting to the interview (rules.md 3.1, cl. 6(4)).

The selection is put at the vetting step directly in the database (as a competency cut-off leaves
it: status VETTING, candidates IN_VETTING with that step in their history).
"""

import asyncio
import random
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CandidateProfile,
    Channel,
)
from portal.applications.references import next_reference
from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import make_iin
from portal.notifications.models import OutboxMessage
from portal.rules.vetting import CHECK_ITEMS
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import ProposalDecision, RemovalProposal, VettingCheck, VettingStatus
from tests.conftest import TEST_CANDIDATES, TODAY, csrf_headers, sign_in
from tests.integration.applications.journey import HTMX_PARTIAL, pdf_bytes

REGION, CODE = "astana", "KZ-71"
ITEMS = [item.code for item in CHECK_ITEMS]
MINUTES = "No. 5 of 2025-02-20"
#: Clause 6(4) as the letters cite it in each language.
NEXT_STEP_CITES = {"ru": "подпункт 4) пункта 6", "kk": "6-тармақтың 4) тармақшасы"}


@dataclass(frozen=True)
class Vetting:
    selection_id: str
    applications: list[str]

    @property
    def base(self) -> str:
        return f"/{REGION}/manage/selections/{self.selection_id}/vetting"

    def candidate(self, n: int) -> str:
        return f"{self.base}/{self.applications[n]}"


def _run[T](settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        async with session_scope(settings) as session:
            result: T = await work(session)
            return result

    return asyncio.run(go())


async def _candidate(
    session: AsyncSession, selection: Selection, n: int, language: str, user: User | None
) -> Application:
    if user is None:
        born = date(1994, 1, 1) + timedelta(days=random.randrange(3000))
        user = User(
            iin=make_iin(born, n % 2 == 0, random.randrange(100, 9000)),
            issuer="test",
            sub=f"vetting-{uuid.uuid4()}",
            given_name="Үміткер",
            family_name=f"Тексеру{n}",
            birth_date=born,
        )
        session.add(user)
        await session.flush()
        session.add(CandidateProfile(user_id=user.id, email=f"vet-{user.id}@example.kz", citizenships=["KZ"]))
    application = Application(
        tenant_id=CODE,
        selection_id=selection.id,
        candidate_iin=user.iin,
        user_id=user.id,
        candidate_name=f"{user.family_name} {user.given_name}",
        status=ApplicationStatus.IN_VETTING,
        channel=Channel.PORTAL,
        reference=await next_reference(session, CODE, 2025),
        language=language,
        submitted_at=datetime.now(UTC),
        reference_date=TODAY,
    )
    session.add(application)
    await session.flush()
    session.add(
        ApplicationEvent(
            application_id=application.id, tenant_id=CODE, status=ApplicationStatus.IN_VETTING, clause="10"
        )
    )
    return application


def _make(settings: Settings, languages: tuple[str, ...], owner: str | None = None) -> Vetting:
    """A selection at the checks with one candidate per language (the first one `owner`'s, if given)."""

    async def work(session: AsyncSession) -> Vetting:
        selection = Selection(
            tenant_id=CODE,
            reference=f"KZ-71-V-{uuid.uuid4().hex[:8]}",
            cycle_year=2025,
            status=SelectionStatus.VETTING,
            quota=5,
            contact_email="vetting@reserve-demo.kz",
            published_on=TODAY - timedelta(days=120),
            intake_start=TODAY - timedelta(days=90),
            intake_end=TODAY - timedelta(days=61),
        )
        session.add(selection)
        await session.flush()
        own = (
            (await session.execute(sa.select(User).where(User.sub == owner))).scalar_one()  # type: ignore[arg-type]
            if owner
            else None
        )
        ids = []
        for n, language in enumerate(languages):
            application = await _candidate(session, selection, n, language, own if n == 0 else None)
            ids.append(str(application.id))
        return Vetting(str(selection.id), ids)

    return _run(settings, work)


@contextmanager
def _as(app: Litestar, sub: str) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        assert sign_in(client, sub).status_code == 303
        yield client


def _record(
    client: TestClient[Litestar],
    v: Vetting,
    n: int,
    item: str,
    *,
    status: str = "clear",
    reply: str = "No. 12 of 2025-02-10",
    requested: str = "2025-02-03",
    note: str = "",
    file: tuple[str, bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    data = {
        "status": status,
        "authority": "",
        "requested_on": requested,
        "reply_reference": reply,
        "note": note,
    }
    url = f"{v.candidate(n)}/items/{item}"
    if file is not None:
        data["_csrf_token"] = csrf_headers(client)["x-csrftoken"]
        return client.post(
            url, data=data, files={"reply": (file[0], file[1], "application/pdf")}, follow_redirects=False
        )
    return client.post(
        url, data=data, headers={**csrf_headers(client), **(headers or {})}, follow_redirects=False
    )


def _clear_all(client: TestClient[Litestar], v: Vetting, n: int, **kwargs: Any) -> None:
    for item in ITEMS:
        response = _record(client, v, n, item, **kwargs)
        assert response.status_code in {200, 303}, (item, response.text[:1500])


def _post(client: TestClient[Litestar], url: str, data: dict[str, str] | None = None) -> httpx.Response:
    return client.post(url, data=data or {}, headers=csrf_headers(client), follow_redirects=False)


def _status(settings: Settings, application_id: str) -> ApplicationStatus:
    async def work(session: AsyncSession) -> ApplicationStatus:
        application = await session.get(Application, uuid.UUID(application_id))
        return ApplicationStatus(application.status)

    return _run(settings, work)


def _audit(settings: Settings, object_id: str) -> list[tuple[str, str]]:
    async def work(session: AsyncSession) -> list[tuple[str, str]]:
        rows = await session.execute(
            sa.select(AuditEvent.action, AuditEvent.clause)
            .where(AuditEvent.object_id == object_id)  # type: ignore[arg-type]
            .order_by(AuditEvent.seq)  # type: ignore[arg-type]
        )
        return [(action, clause) for action, clause in rows.all()]

    return _run(settings, work)


def _letters(settings: Settings, application_id: str) -> list[OutboxMessage]:
    async def work(session: AsyncSession) -> list[OutboxMessage]:
        rows = await session.execute(
            sa.select(OutboxMessage).where(
                OutboxMessage.template == "application_decision",  # type: ignore[arg-type]
                OutboxMessage.body.contains(application_id),  # type: ignore[attr-defined]
            )
        )
        return list(rows.scalars())

    return _run(settings, work)


def _proposals(settings: Settings, application_id: str) -> list[RemovalProposal]:
    async def work(session: AsyncSession) -> list[RemovalProposal]:
        rows = await session.execute(
            sa.select(RemovalProposal).where(RemovalProposal.application_id == uuid.UUID(application_id))  # type: ignore[arg-type]
        )
        return list(rows.scalars())

    return _run(settings, work)


def _pending_blocks_closing_and_errors_are_422(officer: TestClient[Litestar], v: Vetting) -> None:
    listing = officer.get(v.base)
    assert listing.status_code == 200 and listing.text.count("Checks pending</span>") == 3
    # Closing is refused while any check is pending (rules.md 3.1).
    refused = _post(officer, f"{v.base}/close")
    assert refused.status_code == 303 and refused.headers["location"] == v.base
    assert "3 candidates still have checks pending (clause 11)." in officer.get(v.base).text
    # A request without a reply after 10 working days is overdue (A-RC-4(1)).
    overdue = _record(officer, v, 0, "health", status="pending", reply="", requested="2025-01-20")
    assert overdue.status_code == 303
    page = officer.get(v.candidate(0)).text
    assert "Overdue" in page and "reply due" in page
    # Form and rule errors re-render the checklist with 422.
    no_reply = _record(officer, v, 0, "criminal_record", reply="")
    assert no_reply.status_code == 422 and "Record the reply (its reference or its document)" in no_reply.text
    future = _record(officer, v, 0, "criminal_record", requested="2025-03-01")
    assert future.status_code == 422 and "cannot be dated in the future" in future.text
    bare_adverse = _record(officer, v, 0, "criminal_record", status="adverse")
    assert bare_adverse.status_code == 422 and "This field is required." in bare_adverse.text


def _clear_two_and_read_a_reply(officer: TestClient[Litestar], v: Vetting) -> None:
    _clear_all(officer, v, 0)
    _clear_all(officer, v, 1)
    uploaded = _record(officer, v, 0, "criminal_record", reply="", file=("справка.pdf", pdf_bytes()))
    assert uploaded.status_code == 303, uploaded.text[:1500]
    reply = officer.get(f"{v.candidate(0)}/items/criminal_record/reply?inline=true")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/pdf")
    assert reply.headers["content-disposition"].startswith("inline")
    assert "sandbox" in reply.headers["content-security-policy"]
    assert officer.get(f"{v.candidate(0)}/items/health/reply").status_code == 404


def _adverse_is_proposed_and_freezes(officer: TestClient[Litestar], v: Vetting, database: Settings) -> None:
    _clear_all(officer, v, 2)
    adverse = _record(
        officer,
        v,
        2,
        "criminal_record",
        status="adverse",
        note="Непогашенная судимость (справка № 77).",
        file=("справка.pdf", pdf_bytes()),
    )
    assert adverse.status_code == 303
    assert "has been proposed to the commission" in officer.get(v.candidate(2)).text
    [proposal] = _proposals(database, v.applications[2])
    assert proposal.decision == ProposalDecision.PENDING and proposal.items == ["criminal_record"]
    assert proposal.ground == "13.3"
    frozen = _record(officer, v, 2, "health")
    assert frozen.status_code == 422 and "A removal proposal waits" in frozen.text
    listing = officer.get(f"{v.base}?conclusion=non_compliant").text
    assert "Waiting for the commission (clause 13(3))" in listing
    _post(officer, f"{v.base}/close")
    assert "1 removal proposal waits for the commission" in officer.get(v.base).text
    # The territorial unit proposes; only the commission's secretary records the decision.
    decision = {"decision": "removed", "minutes": MINUTES}
    assert _post(officer, f"{v.candidate(2)}/proposal", decision).status_code == 403


def _secretary_records_the_removal(app: Litestar, v: Vetting, database: Settings) -> None:
    with _as(app, "secretary-gulnar") as secretary:
        assert "Record the commission" in secretary.get(v.candidate(2)).text
        _post(secretary, f"{v.candidate(2)}/proposal", {"decision": "removed", "minutes": ""})
        assert "Give the number and date of the commission" in secretary.get(v.candidate(2)).text
        decided = _post(secretary, f"{v.candidate(2)}/proposal", {"decision": "removed", "minutes": MINUTES})
        assert decided.status_code == 303
        assert "removed from the selection and informed" in secretary.get(v.candidate(2)).text
    assert _status(database, v.applications[2]) == ApplicationStatus.REMOVED
    [letter] = _letters(database, v.applications[2])
    assert letter.language == "ru" and "13(3)" in letter.body
    assert "Несоответствие кандидата требованиям пункта 3 статьи 16" in letter.body
    assert "Отсутствует непогашенная или неснятая судимость" in letter.body
    trail = _audit(database, v.applications[2])
    assert ("vetting.check_recorded", "11") in trail
    assert trail[-3:] == [
        ("vetting.removal_proposed", "13(3)"),
        ("vetting.removal_decided", "13(3)"),
        ("application.removed", "13(3)"),
    ]


def test_cl11_checks_then_cl13_3_removal_by_the_commission_then_cl6_4_interview(
    app: Litestar, database: Settings
) -> None:
    v = _make(database, ("ru", "kk", "ru"))
    with _as(app, "tu-officer-dana") as officer:
        selection_page = officer.get(f"/{REGION}/manage/selections/{v.selection_id}").text
        assert "Background checks (clause 11)" in selection_page
        _pending_blocks_closing_and_errors_are_422(officer, v)
        _clear_two_and_read_a_reply(officer, v)
        _adverse_is_proposed_and_freezes(officer, v, database)
    _secretary_records_the_removal(app, v, database)

    # Nothing pending, nothing waiting: vetting closes and the cleared go to the interview.
    with _as(app, "tu-officer-dana") as officer:
        closed = _post(officer, f"{v.base}/close")
        assert closed.status_code == 303
        assert closed.headers["location"] == f"/{REGION}/manage/selections/{v.selection_id}"
        assert "2 candidates are invited to the interview" in officer.get(closed.headers["location"]).text
        late = _record(officer, v, 0, "health")
        assert late.status_code == 422 and "not at the checks before the interview" in late.text

    async def selection_status(session: AsyncSession) -> SelectionStatus:
        selection = await session.get(Selection, uuid.UUID(v.selection_id))
        return SelectionStatus(selection.status)

    assert _run(database, selection_status) == SelectionStatus.INTERVIEW
    assert _audit(database, v.selection_id)[-1] == ("selection.interview", "6(4)")
    for n, language in ((0, "ru"), (1, "kk")):
        assert _status(database, v.applications[n]) == ApplicationStatus.IN_INTERVIEW
        assert _audit(database, v.applications[n])[-1] == ("application.in_interview", "11")
        [letter] = _letters(database, v.applications[n])
        assert letter.language == language and NEXT_STEP_CITES[language] in letter.body


def test_a16_a_rejected_proposal_sends_the_check_back_to_be_done_again(
    app: Litestar, database: Settings
) -> None:
    v = _make(database, ("kk",))
    with _as(app, "tu-head-marat") as head:
        _record(head, v, 0, "public_office_ban", status="adverse", note="Сот шешімі.")
    with _as(app, "secretary-gulnar") as secretary:
        response = _post(
            secretary, f"{v.candidate(0)}/proposal", {"decision": "rejected", "minutes": MINUTES}
        )
        assert response.status_code == 303
        assert "the checks are to be done again" in secretary.get(v.candidate(0)).text
        # A decided proposal cannot be decided again.
        again = _post(secretary, f"{v.candidate(0)}/proposal", {"decision": "removed", "minutes": MINUTES})
        assert again.status_code == 404
    [proposal] = _proposals(database, v.applications[0])
    assert proposal.decision == ProposalDecision.REJECTED and proposal.minutes == MINUTES

    async def check_status(session: AsyncSession) -> VettingStatus:
        row = await session.execute(
            sa.select(VettingCheck.status).where(VettingCheck.application_id == uuid.UUID(v.applications[0]))  # type: ignore[arg-type]
        )
        return VettingStatus(row.scalar_one())

    assert _run(database, check_status) == VettingStatus.PENDING
    assert _status(database, v.applications[0]) == ApplicationStatus.IN_VETTING
    assert _letters(database, v.applications[0]) == []
    assert _audit(database, v.applications[0])[-1] == ("vetting.removal_decided", "13(3)")
    with _as(app, "tu-head-marat") as head:
        _post(head, f"{v.base}/close")
        assert "1 candidate still has checks pending" in head.get(v.base).text
        assert head.get(v.base).text.count("Checks pending</span>") == 1


def test_cl11_the_list_filters_sorts_and_pages_on_the_server_and_htmx_gets_fragments(
    app: Litestar, database: Settings
) -> None:
    v = _make(database, ("en", "ru", "kk"))
    with _as(app, "tu-officer-dana") as officer:
        # With htmx a targeted form gets HX-Location instead of a redirect.
        for item in ITEMS:
            response = _record(officer, v, 0, item, headers=HTMX_PARTIAL)
            assert response.status_code == 200 and response.headers["hx-location"] == v.candidate(0)
        references = re.findall(r"KZ-71-2025-\d{6}", officer.get(v.base).text)
        assert len(references) == 3 and references == sorted(references)
        assert (
            re.findall(r"KZ-71-2025-\d{6}", officer.get(f"{v.base}?sort=-reference").text) == references[::-1]
        )
        cleared = officer.get(f"{v.base}?conclusion=cleared").text
        assert re.findall(r"KZ-71-2025-\d{6}", cleared) == references[:1]
        pending = officer.get(f"{v.base}?conclusion=pending&sort=conclusion").text
        assert re.findall(r"KZ-71-2025-\d{6}", pending) == references[1:]
        assert "No candidate is at the checks." in officer.get(f"{v.base}?page=2").text
        fragment = officer.get(f"{v.base}?conclusion=cleared", headers=HTMX_PARTIAL)
        assert fragment.status_code == 200 and 'id="vetting-rows"' in fragment.text
        assert "<html" not in fragment.text
        assert officer.get(f"{v.base}?conclusion=maybe").status_code == 400
        assert officer.get(f"{v.base}?sort=iin").status_code == 400
        # Every change needs the CSRF token.
        no_token = officer.post(
            f"{v.candidate(1)}/items/health", data={"status": "clear"}, follow_redirects=False
        )
        assert no_token.status_code == 403
        assert officer.post(f"{v.base}/close", follow_redirects=False).status_code == 403


def test_r11_checks_are_hidden_from_the_candidate_observers_the_agency_and_other_regions(
    app: Litestar, database: Settings
) -> None:
    person = TEST_CANDIDATES[34]
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as candidate:
        assert sign_in(candidate, person.sub).status_code == 303
        v = _make(database, ("en",), owner=person.sub)
        with _as(app, "tu-officer-dana") as officer:
            response = _record(
                officer,
                v,
                0,
                "corruption_offence",
                note="restricted-note-4711",
                file=("ответ-суда.pdf", pdf_bytes()),
            )
            assert response.status_code == 303
            assert "ответ-суда.pdf" in officer.get(v.candidate(0)).text
            # Another region's address does not find the selection; a region without a role is refused.
            assert officer.get(v.base.replace("/astana/", "/karaganda/")).status_code == 404
            assert officer.get(v.candidate(0).replace("/astana/", "/karaganda/")).status_code == 404
            assert officer.get(v.base.replace("/astana/", "/shymkent/")).status_code == 403
        reply = f"{v.candidate(0)}/items/corruption_offence/reply"
        for url in (v.base, v.candidate(0), reply):
            assert candidate.get(url, follow_redirects=False).status_code == 403
        own = candidate.get(f"/me/applications/{v.applications[0]}").text
        assert "restricted-note-4711" not in own and "ответ-суда" not in own
    for sub in ("observer-zhanna", "agency-madina"):
        with _as(app, sub) as outsider:
            for url in (v.base, v.candidate(0), reply):
                assert outsider.get(url, follow_redirects=False).status_code == 403, (sub, url)
    with _as(app, "member-aliya") as member:  # a commission member reads the conclusions only
        assert member.get(v.base).status_code == 200
        assert member.get(v.candidate(0)).status_code == 403 and member.get(reply).status_code == 403
    with _as(app, "chair-askar") as chair:
        assert "restricted-note-4711" in chair.get(v.candidate(0)).text
        assert chair.get(reply).status_code == 200
        assert (
            chair.post(f"{v.base}/close", headers=csrf_headers(chair), follow_redirects=False).status_code
            == 403
        )
