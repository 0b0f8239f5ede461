"""Exclusion proceedings (issue 8 item 6; cl. 18, rules.md 1.6, 3.6, A-22, A-23, A-24).

The commission's agenda does not put exclusion cases to the vote yet: the decision is recorded by
calling portal.reserve.exclusions.record_decision, as the commission's item handler will.
"""

import asyncio
import re
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from litestar import Litestar
from sqlmodel import col

from portal.applications.cleanup import sweep_documents
from portal.appointments.models import AppointmentProposal, ProposalStatus
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.reserve import exclusions
from portal.reserve.exclusion_models import EvidenceAccess, ExclusionCase, ExclusionDecision, ExclusionStatus
from portal.reserve.jobs import mail_of
from portal.reserve.models import MembershipStatus
from portal.tenancy.registry import load_tenants
from tests.conftest import FIXED_CLOCK
from tests.integration.applications.journey import pdf_bytes
from tests.integration.reserve.support import (
    ASTANA,
    COMMISSION_MEMBER,
    EXCLUDED_PERSON,
    HTMX_PARTIAL,
    OFFICIAL,
    SECRETARY,
    TU_HEAD,
    TU_OFFICER,
    account,
    browser,
    member,
    membership,
    messages_to,
    open_proposal,
    post,
    rows,
    sign_in_once,
    user_id_of,
)

PDF = ("order.pdf", pdf_bytes(), "application/pdf")


def _case(settings: Settings, case_id: str | uuid.UUID) -> ExclusionCase:
    return rows(settings, sa.select(ExclusionCase).where(col(ExclusionCase.id) == uuid.UUID(str(case_id))))[0]


def _events(settings: Settings, object_type: str, object_id: uuid.UUID) -> list[tuple[str, str]]:
    found = rows(
        settings,
        sa.select(AuditEvent)
        .where(col(AuditEvent.object_type) == object_type, col(AuditEvent.object_id) == str(object_id))
        .order_by(col(AuditEvent.seq)),
    )
    return [(e.action, e.clause) for e in found]


def _decide(settings: Settings, case_id: uuid.UUID, decision: ExclusionDecision, reason: str = "") -> int:
    """What the commission's decision on the agenda item will do (called directly: not wired yet)."""

    async def work() -> int:
        async with session_scope(settings) as session:
            case = await session.get(ExclusionCase, case_id)
            assert case is not None
            return await exclusions.record_decision(
                session,
                case,
                decision,
                "commission-test",
                now=FIXED_CLOCK.now(),
                mail=mail_of(settings, load_tenants(settings.tenants_dir)),
                reason=reason,
            )

    return asyncio.run(work())


def _ready(settings: Settings) -> list[uuid.UUID]:
    async def work() -> list[uuid.UUID]:
        async with session_scope(settings) as session:
            return [c.id for c in await exclusions.cases_ready_for_agenda(session, ASTANA)]

    return asyncio.run(work())


def _open(officer: object, membership_id: uuid.UUID, **fields: str) -> str:
    data = {
        "membership": str(membership_id),
        "ground": "18.4",
        "summary": "Disciplinary order no. 12",
    } | fields
    created = post(officer, "/astana/exclusions", data)  # type: ignore[arg-type]
    assert created.status_code == 303, created.text
    return str(created.headers["location"])


def _unit_opens_and_files(app: Litestar, settings: Settings, membership_id: uuid.UUID) -> str:
    """The territorial unit's side, through HTTP: the form, the draft, the evidence and the filing."""
    with browser(app, TU_OFFICER) as officer:
        # the member's page offers the case; the form shows every ground with its basis and evidence
        assert "Open an exclusion case" in officer.get(f"/astana/reserve/members/{membership_id}").text
        form = officer.get(f"/astana/exclusions/new?membership={membership_id}").text
        assert form.count('name="ground"') == 11
        assert "CPC of the RK art. 35 part 1 items 3, 4, 9, 10 and 12" in form
        assert "The order imposing the disciplinary sanction" in form
        url = _open(officer, membership_id)
        page = officer.get(url).text
        assert "Draft" in page and "Attach the evidence document this ground needs." in page
        assert "This ground applies to civil servants only" in page
        # filing without the evidence is refused
        refused = post(officer, f"{url}/file")
        assert (
            "Attach the evidence document this ground needs." in officer.get(refused.headers["location"]).text
        )
        assert _case(settings, url.rsplit("/", 1)[1]).status == ExclusionStatus.DRAFT
        evidence = {"kind": "disciplinary_order", "document_date": "2025-02-10"}
        assert post(officer, f"{url}/evidence", evidence, files={"file": PDF}).status_code == 303
        files = re.findall(rf"{url}/evidence/[0-9a-f-]{{36}}", officer.get(url).text)
        assert len(files) == 1
        download = officer.get(files[0])
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        assert "sandbox" in download.headers["content-security-policy"]
        assert _evidence_reads(settings, files[0].rsplit("/", 1)[1]) == [user_id_of(settings, TU_OFFICER)]
        assert "Read 1 time, last on" in officer.get(url).text
        filed = post(officer, f"{url}/file")
        assert "may comment until 6 March 2025" in officer.get(filed.headers["location"]).text
    return url


def _evidence_reads(settings: Settings, evidence_id: str) -> list[uuid.UUID]:
    """Who read the evidence document (each read is logged, design: privacy)."""
    query = sa.select(col(EvidenceAccess.user_id)).where(
        col(EvidenceAccess.evidence_id) == uuid.UUID(evidence_id)
    )
    return rows(settings, query)


def test_cl18_an_exclusion_case_runs_from_opening_to_decision(app: Litestar, database: Settings) -> None:
    sign_in_once(app, EXCLUDED_PERSON.sub)
    person = user_id_of(database, EXCLUDED_PERSON.sub)
    mine = member(database, person=EXCLUDED_PERSON)
    proposal = open_proposal(database, mine, account(database, "Official")[0])
    url = _unit_opens_and_files(app, database, mine)
    case = _case(database, url.rsplit("/", 1)[1])
    assert case.status == ExclusionStatus.AWAITING_COMMENT and case.comment_due_on == date(2025, 3, 6)
    assert case.id not in _ready(database)
    told = messages_to(database, person)
    assert [m.context["subject"] for m in told].count("Proposal to exclude you from the reserve") == 1
    # the commission cannot decide while the member may still comment
    with pytest.raises(exclusions.ExclusionRefused):
        _decide(database, case.id, ExclusionDecision.EXCLUDED)
    with browser(app, EXCLUDED_PERSON.sub) as me:
        page = me.get(f"/me/memberships/{mine}").text
        assert "disciplinary offence discrediting the civil service" in page
        assert "You may comment until 6 March 2025 inclusive." in page
        sent = post(
            me, f"/me/memberships/{mine}/cases/{case.id}/comment", {"comment": "The order is under appeal."}
        )
        assert "Your comment has been sent." in me.get(sent.headers["location"]).text
    assert _case(database, case.id).status == ExclusionStatus.OPEN
    assert case.id in _ready(database)
    # the decision: excluded; the membership ends and its open proposal becomes void
    assert _decide(database, case.id, ExclusionDecision.EXCLUDED, "Confirmed by the order") == 1
    assert membership(database, mine).status == MembershipStatus.EXCLUDED
    voided = rows(database, sa.select(AppointmentProposal).where(col(AppointmentProposal.id) == proposal))[0]
    assert voided.status == ProposalStatus.VOID
    decided = _case(database, case.id)
    assert (decided.status, decided.decision) == (ExclusionStatus.DECIDED, ExclusionDecision.EXCLUDED)
    assert _events(database, "exclusion_case", case.id) == [
        ("exclusion.drafted", "18(4)"),
        ("exclusion.evidence_added", "18(4)"),
        ("exclusion.filed", "18(4)"),
        ("exclusion.member_commented", "18(4)"),
        ("exclusion.decided", "18(4)"),
    ]
    assert ("reserve.membership_excluded", "18(4)") in _events(database, "reserve_membership", mine)
    excluded = "Decision of the commission: excluded from the reserve"  # the member is written to in Kazakh
    letter = [m for m in messages_to(database, person) if m.context["subject"] == excluded]
    assert len(letter) == 1 and letter[0].language == "kk" and "18(4)" in letter[0].body
    english = letter[0].context["message"]["en"]
    assert "disciplinary offence discrediting" in english and "Administrative Procedural" in english
    # a decided case is decided once
    with pytest.raises(exclusions.ExclusionRefused):
        _decide(database, case.id, ExclusionDecision.NOT_EXCLUDED)
    with browser(app, EXCLUDED_PERSON.sub) as me:
        assert "excluded from the reserve" in me.get(f"/me/memberships/{mine}").text


def test_cl18_not_excluded_closes_the_case_and_the_membership_goes_on(
    app: Litestar, database: Settings
) -> None:
    user = account(database, "Kept")
    mine = member(database, user=user, name="Kept Member")
    with browser(app, TU_HEAD) as head:
        url = _open(head, mine, ground="18.2", summary="Notice of the migration service")
        assert (
            post(head, f"{url}/evidence", {"kind": "official_notice"}, files={"file": PDF}).status_code == 303
        )
        assert post(head, f"{url}/file").status_code == 303
    case_id = uuid.UUID(url.rsplit("/", 1)[1])
    # the comment period ends without a comment: the reserve job makes it ready (portal.reserve.jobs)
    assert _decide_refused(database, case_id)
    assert _decide(database, case_id, ExclusionDecision.NOT_EXCLUDED, "Citizenship restored") == 0
    assert membership(database, mine).status == MembershipStatus.ACTIVE
    assert _case(database, case_id).decision == ExclusionDecision.NOT_EXCLUDED
    remain = "Decision of the commission: you remain in the reserve"
    assert [m.context["subject"] for m in messages_to(database, user[0])].count(remain) == 1


def _decide_refused(settings: Settings, case_id: uuid.UUID) -> bool:
    """The case still awaits the member's comment; once its period is over it may be decided."""

    async def work() -> bool:
        async with session_scope(settings) as session:
            case = await session.get(ExclusionCase, case_id)
            assert case is not None and case.comment_due_on is not None
            try:
                await exclusions.record_decision(
                    session,
                    case,
                    ExclusionDecision.EXCLUDED,
                    "commission-test",
                    now=FIXED_CLOCK.now(),
                    mail=mail_of(settings, load_tenants(settings.tenants_dir)),
                )
            except exclusions.ExclusionRefused:
                pass
            else:  # pragma: no cover - the test fails below
                return False
            return await exclusions.end_comment_period(
                session,
                case,
                actor="test",
                today=case.comment_due_on + timedelta(days=1),
                now=FIXED_CLOCK.now(),
                mail=mail_of(settings, load_tenants(settings.tenants_dir)),
            )

    return asyncio.run(work())


def test_a24_cl18_8_needs_a_limb_the_date_of_the_act_and_a_verdict_in_force(
    app: Litestar, database: Settings
) -> None:
    mine = member(database, name="Criminal Case", starts_on=date(2024, 11, 1))
    with browser(app, TU_OFFICER) as officer:
        no_limb = post(
            officer,
            "/astana/exclusions",
            {"membership": str(mine), "ground": "18.8", "summary": "Verdict", "act_date": "2024-09-01"},
        )
        assert no_limb.status_code == 422 and "Choose one of the options." in no_limb.text
        url = _open(officer, mine, ground="18.8", sub_basis="conviction", act_date="2024-09-01")
        page = officer.get(url).text
        assert "applies to acts committed while in the" in page  # before the membership began
        kind = "verdict_or_release_decision_in_force"
        assert post(officer, f"{url}/evidence", {"kind": kind}, files={"file": PDF}).status_code == 303
        assert "Enter the date the document entered into force" in officer.get(url).text
        bad = post(
            officer,
            f"{url}/evidence",
            {"kind": kind, "document_date": "2025-01-20", "in_force_on": "2025-01-10"},
            files={"file": PDF},
        )
        assert bad.status_code == 422 and "cannot enter into force before its date" in bad.text
        # with htmx the form gets HX-Location instead of a redirect
        ok = post(
            officer,
            f"{url}/evidence",
            {"kind": kind, "document_date": "2025-01-10", "in_force_on": "2025-02-01"},
            files={"file": PDF},
            headers=HTMX_PARTIAL,
        )
        assert ok.status_code == 200 and ok.headers["hx-location"] == url
        assert post(officer, f"{url}/file").status_code == 303
    assert _case(database, url.rsplit("/", 1)[1]).status == ExclusionStatus.AWAITING_COMMENT
    # the orphan sweep keeps the evidence files (they are referenced)
    asyncio.run(sweep_documents(database, 0))
    with browser(app, TU_OFFICER) as officer:
        files = re.findall(rf"{url}/evidence/[0-9a-f-]{{36}}", officer.get(url).text)
        assert len(files) == 2 and all(officer.get(f).status_code == 200 for f in files)


def test_cl18_only_the_territorial_unit_opens_cases_the_commission_reads_them_and_regions_stay_apart(
    app: Litestar, database: Settings
) -> None:
    mine = member(database, name="Roles Member")
    with browser(app, TU_OFFICER) as officer:
        url = _open(officer, mine, ground="18.9", summary="Written refusal")
        assert officer.get(url.replace("/astana/", "/karaganda/")).status_code == 404
        assert officer.get(url.replace("/astana/", "/shymkent/")).status_code == 403
        # a second case of the same member is refused while the first is open
        again = post(
            officer, "/astana/exclusions", {"membership": str(mine), "ground": "18.2", "summary": "x"}
        )
        assert again.status_code == 422 and "already open" in again.text
        # closing a draft needs a reason
        no_reason = post(officer, f"{url}/drop")
        assert "Give the reason for closing the case." in officer.get(no_reason.headers["location"]).text
    for reader in (SECRETARY, COMMISSION_MEMBER):
        with browser(app, reader) as person:
            assert person.get(url).status_code == 200
            assert post(person, f"{url}/file").status_code == 403
            assert (
                post(person, "/astana/exclusions", {"membership": str(mine), "ground": "18.2"}).status_code
                == 403
            )
    with browser(app, OFFICIAL) as official:
        assert official.get("/astana/exclusions").status_code == 403
        assert official.get(f"/astana/exclusions/new?membership={mine}").status_code == 403
    with browser(app, TU_OFFICER) as officer:
        assert officer.post(f"{url}/drop", data={"reason": "No basis"}).status_code == 403  # no CSRF token
        dropped = post(officer, f"{url}/drop", {"reason": "No basis"})
        assert "closed without a proposal" in officer.get(dropped.headers["location"]).text
        assert "Open an exclusion case" in officer.get(f"/astana/reserve/members/{mine}").text
    assert _case(database, url.rsplit("/", 1)[1]).status == ExclusionStatus.DROPPED
    assert ("exclusion.dropped", "18(9)") in _events(
        database, "exclusion_case", uuid.UUID(url.rsplit("/", 1)[1])
    )
