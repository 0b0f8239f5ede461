"""A whole selection with 200 candidates (issue 6, "Done when"): draft, the commission's approval of the
parameters (cl. 3, A-RC-4(10)), agreement, publication,
intake, document decisions, two result imports (four eyes), two cut-offs with a tie at the first,
the checks before the interview with one removal (cl. 11, 13(3)), and the interview schedule
(cl. 6(4)). Every candidate's state, notification and audit trail is checked at the end."""

import asyncio
import re
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from portal.app import create_app
from portal.applications.models import Application, ApplicationStatus, CandidateProfile, Channel
from portal.applications.references import next_reference
from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.clock import Clock
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import make_iin
from portal.notifications.models import OutboxMessage
from portal.rules.vetting import CHECK_ITEMS
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import InterviewSlot
from tests.conftest import FIXED_CLOCK, TODAY, csrf_headers, sign_in
from tests.integration.commission.support import People
from tests.integration.selections.approval import approve_parameters
from tests.integration.selections.test_draft_agreement_publication import _form, _post

CANDIDATES = 200
REFUSED = 5
ABSENT = 3
VETTED = 20
#: The checks are requested and answered after the competency cut-off (the late clock: 6 May 2025).
REPLY = {"authority": "", "requested_on": "2025-05-05", "reply_reference": "No. 77 of 2025-05-05", "note": ""}


def _client(app: Litestar, sub: str) -> TestClient[Litestar]:
    client = TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"})
    client.__enter__()
    sign_in(client, sub)
    return client


def _prepare_and_publish(app: Litestar, settings: Settings) -> tuple[str, str]:
    officer = _client(app, "tu-officer-dana")
    people = People(app)
    try:
        # One quota for the whole selection: ranked and cut overall (rules.md A-09).
        whole = _form(contact_email="k@reserve-demo.kz", quota_economy_finance="", quota_social_sphere="")
        created = _post(officer, "/karaganda/manage/selections/new", whole)
        url = created.headers["location"]  # type: ignore[attr-defined]
        _post(officer, f"{url}/submit", {})
        # The commission approves the parameters (cl. 3, A-RC-4(10)), then the Agency agrees them.
        approve_parameters(
            people, settings, slug="karaganda", tenant_id="KZ-35", selection_id=url.rsplit("/", 1)[1]
        )
        agency = _client(app, "agency-madina")
        _post(agency, f"/agency/agreements/{url.rsplit('/', 1)[1]}", {"decision": "agree", "comment": ""})
        agency.__exit__(None, None, None)
        _post(officer, f"{url}/publish", {})
        assert "Announced" in officer.get(url).text
    finally:
        people.close()
        officer.__exit__(None, None, None)
    return url, url.rsplit("/", 1)[1]


def _apply_200(settings: Settings, selection_id: str) -> list[uuid.UUID]:
    """200 candidates, each with an account and an e-mail, submitted during intake (half in Russian)."""

    async def work() -> list[uuid.UUID]:
        ids = []
        async with session_scope(settings) as session:
            selection = await session.get(Selection, uuid.UUID(selection_id))
            assert selection is not None
            for n in range(CANDIDATES):
                born = datetime(1992, 1 + n % 12, 1 + n % 28, tzinfo=UTC).date()
                iin = make_iin(born, n % 2 == 0, 7000 + n)
                user = User(
                    iin=iin,
                    issuer="test",
                    sub=f"bulk-{selection_id}-{n}",
                    given_name="Үміткер",
                    family_name=f"№{n}",
                    birth_date=born,
                )
                session.add(user)
                await session.flush()
                session.add(
                    CandidateProfile(user_id=user.id, email=f"bulk{n}@example.kz", citizenships=["KZ"])
                )
                application = Application(
                    tenant_id=selection.tenant_id,
                    selection_id=selection.id,
                    candidate_iin=iin,
                    user_id=user.id,
                    candidate_name=f"№{n} Үміткер",
                    status=ApplicationStatus.SUBMITTED,
                    channel=Channel.PORTAL,
                    reference=await next_reference(session, selection.tenant_id, 2025),
                    language="ru" if n % 2 else "kk",
                    submitted_at=datetime.now(UTC),
                    reference_date=TODAY,
                )
                session.add(application)
                await session.flush()
                ids.append(application.id)
        return ids

    return asyncio.run(work())


def _csv(settings: Settings, selection_id: str, status: ApplicationStatus, scores: dict[int, str]) -> bytes:
    async def references() -> list[str]:
        async with session_scope(settings) as session:
            rows = await session.execute(
                sa.select(Application.reference)
                .where(Application.selection_id == uuid.UUID(selection_id), Application.status == status)  # type: ignore[arg-type]
                .order_by(Application.reference)  # type: ignore[arg-type]
            )
            return [r for r in rows.scalars() if r]

    lines = ["reference;score;absent"]
    for index, reference in enumerate(asyncio.run(references())):
        score = scores.get(index, "")
        lines.append(f"{reference};{score};{'yes' if score == '' else 'no'}")
    return ("\n".join(lines) + "\n").encode()


def _import(app: Litestar, url: str, stage: str, content: bytes, *, uploader: str, approver: str) -> None:
    up = _client(app, uploader)
    try:
        response = up.post(
            f"{url}/results/{stage}",
            files={"file": (f"{stage}.csv", content, "text/csv")},
            data={"_csrf_token": csrf_headers(up)["x-csrftoken"]},
        )
        assert response.status_code == 200, response.text[:3000]
        # The uploader cannot approve (four eyes).
        import_url = (
            next(
                part.split('"')[0]
                for part in response.text.split('action="')[1:]
                if "/approve" in part.split('"')[0]
            )
            if "/approve" in response.text
            else None
        )
        assert import_url is None, "the uploader must not be offered the approval"
    finally:
        up.__exit__(None, None, None)
    second = _client(app, approver)
    try:
        page = second.get(f"{url}/results/{stage}").text
        approve = next(
            part.split('"')[0]
            for part in page.split('action="')[1:]
            if part.split('"')[0].endswith("/approve")
        )
        assert second.post(approve, headers=csrf_headers(second), follow_redirects=False).status_code == 303
    finally:
        second.__exit__(None, None, None)


def _statuses(settings: Settings, selection_id: str) -> Counter[str]:
    async def work() -> Counter[str]:
        async with session_scope(settings) as session:
            rows = await session.execute(
                sa.select(Application.status, sa.func.count())
                .where(Application.selection_id == uuid.UUID(selection_id))  # type: ignore[arg-type]
                .group_by(Application.status)
            )
            return Counter({str(status): n for status, n in rows.all()})

    return asyncio.run(work())


def _ids_in(settings: Settings, selection_id: str, status: ApplicationStatus) -> list[uuid.UUID]:
    async def work() -> list[uuid.UUID]:
        async with session_scope(settings) as session:
            rows = await session.execute(
                sa.select(Application.id)
                .where(Application.selection_id == uuid.UUID(selection_id), Application.status == status)  # type: ignore[arg-type]
                .order_by(Application.reference)  # type: ignore[arg-type]
            )
            return list(rows.scalars())

    return asyncio.run(work())


def _vet(app: Litestar, url: str, vetted: list[uuid.UUID]) -> None:
    """Cl. 11: every check clear but one finding against one candidate (a ban on public office); the
    commission removes them (cl. 13(3)); the checks close and the 19 others go to the interview (cl. 6(4))."""
    officer = _client(app, "tu-officer-dana")
    try:
        token = csrf_headers(officer)
        assert "20 candidates still have checks pending (clause 11)." in officer.get(url).text
        for n, application_id in enumerate(vetted):
            for item in CHECK_ITEMS:
                adverse = n == 0 and item == CHECK_ITEMS[-1]  # the last: an adverse finding freezes the list
                data = REPLY | (
                    {"status": "adverse", "note": "Приговор суда от 2019 года."}
                    if adverse
                    else {"status": "clear"}
                )
                response = officer.post(
                    f"{url}/vetting/{application_id}/items/{item.code}",
                    data=data,
                    headers=token,
                    follow_redirects=False,
                )
                assert response.status_code == 303, response.text[:2000]
        page = officer.get(url).text
        assert "1 removal proposal waits for the commission&#39;s decision (clause 13(3))." in page
    finally:
        officer.__exit__(None, None, None)
    secretary = _client(app, "secretary-gulnar")
    try:
        decided = secretary.post(
            f"{url}/vetting/{vetted[0]}/proposal",
            data={"decision": "removed", "minutes": "No. 5 of 2025-05-06"},
            headers=csrf_headers(secretary),
            follow_redirects=False,
        )
        assert decided.status_code == 303
    finally:
        secretary.__exit__(None, None, None)
    officer = _client(app, "tu-officer-dana")
    try:
        closed = officer.post(f"{url}/vetting/close", headers=csrf_headers(officer), follow_redirects=False)
        assert closed.status_code == 303
        page = officer.get(url).text
        assert "19 candidates are invited to the interview" in page
        assert "19 candidates have no interview time yet (clause 6(4))." in page
    finally:
        officer.__exit__(None, None, None)


def _schedule(app: Litestar, url: str) -> None:
    """Cl. 6(4): the secretary generates the schedule; the dashboard then waits for the interviews."""
    secretary = _client(app, "secretary-gulnar")
    try:
        generated = secretary.post(
            f"{url}/interviews/generate",
            data={"first": "2025-05-13T09:00", "minutes": "30", "day_end": "18:00", "place": "Акимат, зал 3"},
            headers=csrf_headers(secretary),
            follow_redirects=False,
        )
        assert generated.status_code == 303, generated.text[:2000]
        assert "19 interviews are still to be held." in secretary.get(url).text
    finally:
        secretary.__exit__(None, None, None)


def _check_funnel(app: Litestar, url: str) -> None:
    """The dashboard's funnel counts every application that reached each step (issue 6 item 8)."""
    secretary = _client(app, "secretary-gulnar")
    try:
        page = secretary.get(url).text
    finally:
        secretary.__exit__(None, None, None)
    funnel = dict(re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", page))
    assert funnel["Applied"] == "200" and funnel["Admitted"] == "195"
    assert funnel["Refused admission"] == "5" and funnel["Advanced after testing"] == "51"
    assert funnel["Advanced after the competency assessment"] == "20"
    assert funnel["Cleared for the interview"] == "19" and funnel["Removed"] == "1"


def test_a_selection_with_200_candidates_from_draft_to_the_interview_schedule(
    app: Litestar, database: Settings
) -> None:
    url, selection_id = _prepare_and_publish(app, database)
    ids = _apply_200(database, selection_id)
    after_intake = Clock(fixed_now=FIXED_CLOCK.now() + timedelta(days=75))
    late = create_app(database, clock=after_intake)

    # Stage 1: the head admits 195 and refuses 5 (cl. 13(1)); testing then starts.
    head = _client(late, "tu-head-marat")
    try:
        token = csrf_headers(head)
        for n, application_id in enumerate(ids):
            data = (
                {"decision": "admit"}
                if n >= REFUSED
                else {
                    "decision": "refuse",
                    "ground": "13.1",
                    "explanation": "Документы не соответствуют пункту 8.",
                }
            )
            response = head.post(
                f"/karaganda/officer/applications/{application_id}/decision",
                data=data,
                headers=token,
                follow_redirects=False,
            )
            assert response.status_code == 303
        head.post(f"{url}/start-testing", headers=token)
    finally:
        head.__exit__(None, None, None)
    assert _statuses(database, selection_id) == Counter({"in_testing": 195, "refused": 5})

    # Stage 2: scores with a tie at the 50th place (two candidates at 60.00), three absent.
    scores = {i: f"{100 - i * 0.5:.2f}" for i in range(195 - ABSENT)}
    scores[50] = scores[49]  # the 50th and 51st share the cut score
    _import(
        late,
        url,
        "testing",
        _csv(database, selection_id, ApplicationStatus.IN_TESTING, scores),
        uploader="tu-officer-dana",
        approver="tu-head-marat",
    )
    secretary = _client(late, "secretary-gulnar")
    try:
        # The dashboard says what still blocks the next transition (issue 6 item 8).
        assert "The commission has not fixed the cut-off yet (clause 10)." in secretary.get(url).text
        preview = secretary.get(f"{url}/cutoff/testing?advance=50&ties=1").text
        assert "51 advance" in preview and "including 2 tied at the cut" in preview
        fixed = secretary.post(
            f"{url}/cutoff/testing",
            data={"advance": "50", "ties": "1", "protocol": "No. 3 of 2025-04-10"},
            headers=csrf_headers(secretary),
            follow_redirects=False,
        )
        assert fixed.status_code == 303, fixed.text[:2000]
    finally:
        secretary.__exit__(None, None, None)
    assert _statuses(database, selection_id) == Counter(
        {"in_competency": 51, "not_advanced": 144, "refused": 5}
    )

    # Stage 3: the Agency imports competency results, the head approves; 20 advance to the checks.
    competency = {i: f"{90 - i:.2f}" for i in range(51)}
    _import(
        late,
        url,
        "competency",
        _csv(database, selection_id, ApplicationStatus.IN_COMPETENCY, competency),
        uploader="agency-madina",
        approver="tu-head-marat",
    )
    secretary = _client(late, "secretary-gulnar")
    try:
        secretary.post(
            f"{url}/cutoff/competency",
            data={"advance": "20", "ties": "1", "protocol": "No. 4 of 2025-05-02"},
            headers=csrf_headers(secretary),
        )
    finally:
        secretary.__exit__(None, None, None)
    assert _statuses(database, selection_id) == Counter({"in_vetting": 20, "not_advanced": 175, "refused": 5})

    # Cl. 11 checks, one removal (cl. 13(3)), then the interview schedule (cl. 6(4)).
    vetted = _ids_in(database, selection_id, ApplicationStatus.IN_VETTING)
    _vet(late, url, vetted)
    _schedule(late, url)
    assert _statuses(database, selection_id) == Counter(
        {"in_interview": 19, "removed": 1, "not_advanced": 175, "refused": 5}
    )
    _check_final_state(database, selection_id, ids, vetted)
    _check_funnel(late, url)


def _check_final_state(
    settings: Settings, selection_id: str, ids: list[uuid.UUID], vetted: list[uuid.UUID]
) -> None:
    """Each candidate's letters (one per decision they received) and their audit trail."""

    async def work() -> None:
        async with session_scope(settings) as session:
            selection = await session.get(Selection, uuid.UUID(selection_id))
            assert selection is not None and selection.status == SelectionStatus.INTERVIEW
            mails = (
                await session.execute(
                    sa.select(OutboxMessage.recipient, OutboxMessage.language).where(
                        OutboxMessage.template == "application_decision", OutboxMessage.tenant_id == "KZ-35"
                    )  # type: ignore[arg-type]
                )
            ).all()
            per_person = Counter(recipient for recipient, _ in mails)
            statuses = dict(
                (
                    await session.execute(
                        sa.select(Application.id, Application.status).where(Application.id.in_(ids))  # type: ignore[attr-defined]
                    )
                ).all()
            )
            # Stage 1 decision; a cut-off letter per cut-off taken part in; the removal; or the
            # clearance and the invitation with the time and place.
            expected = {"refused": {1}, "not_advanced": {2, 3}, "removed": {4}, "in_interview": {5}}
            for n, application_id in enumerate(ids):
                assert per_person[f"bulk{n}@example.kz"] in expected[str(statuses[application_id])], n
            assert sum(1 for n in range(CANDIDATES) if per_person[f"bulk{n}@example.kz"] == 3) == 31
            slots = (
                await session.execute(
                    sa.select(InterviewSlot.application_id, InterviewSlot.pseudonym).where(
                        InterviewSlot.selection_id == uuid.UUID(selection_id)  # type: ignore[arg-type]
                    )
                )
            ).all()
            assert {a for a, _ in slots} == set(vetted[1:]) and len({p for _, p in slots}) == 19
            trails = await _trails(session, ids)
            assert len(trails) == CANDIDATES
            assert trails[str(vetted[0])][-3:] == [
                "vetting.removal_proposed",
                "vetting.removal_decided",
                "application.removed",
            ]
            for application_id in vetted[1:]:
                trail = trails[str(application_id)]
                assert trail.count("vetting.check_recorded") == len(CHECK_ITEMS)
                assert trail[-2:] == ["application.in_interview", "interview.scheduled"]

    asyncio.run(work())


async def _trails(session: AsyncSession, ids: list[uuid.UUID]) -> dict[str, list[str]]:
    rows = await session.execute(
        sa.select(AuditEvent.object_id, AuditEvent.action)
        .where(AuditEvent.object_id.in_([str(i) for i in ids]))  # type: ignore[union-attr]
        .order_by(AuditEvent.seq)  # type: ignore[arg-type]
    )
    trails: dict[str, list[str]] = {}
    for object_id, action in rows.all():
        trails.setdefault(object_id, []).append(action)
    return trails
