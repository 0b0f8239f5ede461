"""The registry of a region's reserve and the member's own page (issue 8 item 1; cl. 12, cl. 17, A-21,
A-22, A-27, rules.md 2.2, 3.3)."""

import re
from datetime import timedelta

import sqlalchemy as sa
from litestar import Litestar
from sqlmodel import col

from portal.appointments.models import MemberConsent
from portal.core.audit import AuditEvent
from portal.core.settings import Settings
from portal.reserve.exclusion_models import ExclusionCase, ExclusionStatus
from tests.conftest import TODAY
from tests.integration.applications.journey import pdf_bytes
from tests.integration.reserve.support import (
    HTMX_PARTIAL,
    KARAGANDA,
    MEMBER_PAGE_PERSON,
    OFFICIAL,
    TU_HEAD,
    TU_OFFICER,
    browser,
    member,
    messages_to,
    post,
    rows,
    sign_in_once,
    tag,
    user_id_of,
)

DIRECTION = "ecology_natural_resources"


def _names(html: str, prefix: str) -> list[str]:
    return re.findall(rf"{prefix}-\d\d", html)


def test_cl12_the_registry_filters_sorts_and_pages_on_the_server_and_htmx_gets_the_rows(
    app: Litestar, database: Settings
) -> None:
    prefix = f"Registry{tag()}"
    for n in range(12):
        member(
            database,
            name=f"{prefix}-{n:02d}",
            direction=DIRECTION,
            ends_on=TODAY + timedelta(days=300 + n),
            starts_on=TODAY + timedelta(days=300 + n) - timedelta(days=730),
        )
    base = f"/astana/reserve?direction={DIRECTION}&ending_within=320"
    with browser(app, TU_OFFICER) as officer:
        first = officer.get(f"{base}&sort=name")
        assert first.status_code == 200 and "12 members found" in first.text
        assert _names(first.text, prefix) == [f"{prefix}-{n:02d}" for n in range(10)]
        assert _names(officer.get(f"{base}&sort=name&page=2").text, prefix) == [
            f"{prefix}-10",
            f"{prefix}-11",
        ]
        latest = officer.get(f"{base}&sort=-ends_on").text
        assert _names(latest, prefix)[:3] == [f"{prefix}-11", f"{prefix}-10", f"{prefix}-09"]
        assert "310 days left" in officer.get(f"{base}&sort=-ends_on").text
        # "term ends within N days" narrows the list
        assert _names(
            officer.get(f"/astana/reserve?direction={DIRECTION}&ending_within=301").text, prefix
        ) == [
            f"{prefix}-00",
            f"{prefix}-01",
        ]
        fragment = officer.get(f"{base}&sort=name", headers=HTMX_PARTIAL)
        assert fragment.status_code == 200 and 'id="registry-rows"' in fragment.text
        assert "<html" not in fragment.text
        for bad in ("sort=iin", "status=gone", "ending_within=-1", "page=0", "direction=nowhere"):
            assert officer.get(f"/astana/reserve?{bad}").status_code == 400, bad
        # another region's registry does not show Astana's members
        assert prefix not in officer.get(f"/karaganda/reserve?direction={DIRECTION}").text


def test_a22_members_under_exclusion_review_are_marked_and_can_be_listed_alone(
    app: Litestar, database: Settings
) -> None:
    prefix = f"Review{tag()}"
    ids = [member(database, name=f"{prefix}-{n:02d}", direction=DIRECTION) for n in range(2)]
    with browser(app, TU_OFFICER) as officer:
        created = post(
            officer,
            "/astana/exclusions",
            {"membership": str(ids[0]), "ground": "18.1", "summary": "Asked in writing"},
        )
        assert created.status_code == 303
        case_url = created.headers["location"]
        evidence = {"kind": "member_signed_request"}
        files = {"file": ("request.pdf", pdf_bytes(), "application/pdf")}
        assert post(officer, f"{case_url}/evidence", evidence, files=files).status_code == 303
        assert post(officer, f"{case_url}/file").status_code == 303
        listed = officer.get(f"/astana/reserve?status=under_review&direction={DIRECTION}").text
        assert _names(listed, prefix) == [f"{prefix}-00"] and "Under review" in listed
    with browser(app, OFFICIAL) as official:
        # the appointing official reads the registry and sees who is under review, not the case
        page = official.get(f"/astana/reserve/members/{ids[0]}")
        assert page.status_code == 200 and "Under exclusion review" in page.text
        assert "/exclusions/" not in page.text
        assert official.get(case_url).status_code == 403


def test_s2_3_a_member_of_another_region_is_not_found_and_the_public_sees_no_list(
    app: Litestar, database: Settings
) -> None:
    other = member(database, KARAGANDA, name=f"Karaganda{tag()}")
    with browser(app, TU_HEAD) as head:
        assert head.get(f"/astana/reserve/members/{other}").status_code == 404
        assert head.get(f"/karaganda/reserve/members/{other}").status_code == 200
        assert head.get(f"/shymkent/reserve/members/{other}").status_code == 403
    with browser(app) as anonymous:
        # no publication consent is captured, so there is no public list of members
        assert anonymous.get("/astana/reserve", follow_redirects=False).status_code == 303
    with browser(app, "candidate-nurlan") as candidate:
        assert candidate.get("/astana/reserve").status_code == 403


def test_cl12_cl17_the_member_sees_the_term_with_a_countdown_gives_and_withdraws_consent_and_the_history(
    app: Litestar, database: Settings
) -> None:
    sign_in_once(app, MEMBER_PAGE_PERSON.sub)
    starts = TODAY - timedelta(days=30)
    mine = member(database, person=MEMBER_PAGE_PERSON, starts_on=starts, direction=DIRECTION)
    other = member(database, name=f"Other{tag()}")
    days = (starts.replace(year=starts.year + 2) - TODAY).days
    with browser(app, MEMBER_PAGE_PERSON.sub) as me:
        listing = me.get("/me/memberships")
        assert listing.status_code == 200 and f"{days} days left" in listing.text
        page = me.get(f"/me/memberships/{mine}")
        assert page.status_code == 200 and f"{days} days left" in page.text
        assert "Ecology and natural resources" in page.text
        assert me.get(f"/me/memberships/{other}").status_code == 404
        # cl. 17: the consent is given and withdrawn with portal.appointments' consent service
        assert 'name="consent" value="give"' in page.text
        assert post(me, f"/me/memberships/{mine}/consent", {"consent": "give"}).status_code == 303
        given = me.get(f"/me/memberships/{mine}").text
        assert "You gave your consent on" in given and 'value="withdraw"' in given
        assert post(me, f"/me/memberships/{mine}/consent", {"consent": "withdraw"}).status_code == 303
        after = me.get(f"/me/memberships/{mine}").text
        assert "You have not given this consent." in after and "withdrawn on" in after
        assert "Consent to be appointed in another region given" in after
        assert "Consent to be appointed in another region withdrawn" in after
        # without the CSRF token nothing changes
        assert me.post(f"/me/memberships/{mine}/leave", data={"confirm": "yes"}).status_code == 403
    consents = rows(database, sa.select(MemberConsent).where(col(MemberConsent.membership_id) == mine))
    assert len(consents) == 1 and consents[0].withdrawn_at is not None


def test_a23_cl18_1_the_members_request_to_leave_opens_a_draft_case_by_itself(
    app: Litestar, database: Settings
) -> None:
    sign_in_once(app, MEMBER_PAGE_PERSON.sub)
    sign_in_once(app, TU_OFFICER)
    mine = member(database, person=MEMBER_PAGE_PERSON)
    unit = user_id_of(database, TU_OFFICER)
    before = len(messages_to(database, unit))
    with browser(app, MEMBER_PAGE_PERSON.sub) as me:
        refused = post(me, f"/me/memberships/{mine}/leave", {"statement": "Moving abroad"})
        assert refused.status_code == 303
        assert "Confirm that you ask to leave the reserve." in me.get(refused.headers["location"]).text
        sent = post(me, f"/me/memberships/{mine}/leave", {"statement": "Moving abroad", "confirm": "yes"})
        assert sent.status_code == 303
        page = me.get(f"/me/memberships/{mine}").text
        assert "Your request has been sent to the territorial unit of the Agency." in page
        assert "at your own request" in page and "Ask to leave the reserve" not in page
        again = post(me, f"/me/memberships/{mine}/leave", {"confirm": "yes"})
        assert "An exclusion case of this member is already open." in me.get(again.headers["location"]).text
    cases = rows(database, sa.select(ExclusionCase).where(col(ExclusionCase.membership_id) == mine))
    assert len(cases) == 1
    case = cases[0]
    assert (case.ground, case.clause, case.status, case.requested_by_member) == (
        "18.1",
        "18(1)",
        ExclusionStatus.DRAFT,
        True,
    )
    events = rows(
        database,
        sa.select(AuditEvent).where(
            col(AuditEvent.object_type) == "exclusion_case", col(AuditEvent.object_id) == str(case.id)
        ),
    )
    assert [(e.action, e.clause) for e in events] == [("exclusion.requested", "18(1)")]
    told = messages_to(database, unit)[before:]
    assert [m.context["subject"] for m in told].count("A member asks to leave the reserve") == 1
    # the unit sees the request among the drafts and files it: no comment period, ready for the agenda
    with browser(app, TU_OFFICER) as officer:
        listed = officer.get("/astana/exclusions?status=draft").text
        assert "Member&#39;s own request" in listed or "Member's own request" in listed
        assert post(officer, f"/astana/exclusions/{case.id}/file").status_code == 303
        assert "Ready for the agenda" in officer.get(f"/astana/exclusions/{case.id}").text
    filed = rows(database, sa.select(ExclusionCase).where(col(ExclusionCase.id) == case.id))[0]
    assert filed.status == ExclusionStatus.OPEN and filed.comment_due_on is None
