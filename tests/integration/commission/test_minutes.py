"""The minutes of a meeting (issue 7 item 6; cl. 6(5); A-RC-4(3), A-RC-12) through HTTP: drawn up by the
secretary in Kazakh and Russian once the meeting is closed, numbered per region per year, the PDF's
SHA-256 in the audit log; the votes per member for an open ballot, only the totals for a secret one;
signed off they never change, and a correction is version 2 referencing version 1."""

import asyncio
import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import nullcontext
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from litestar import Litestar
from pypdf import PdfReader

from portal.commission import minutes as service
from portal.commission.models import CommissionMember, Minutes
from portal.commission.models import Meeting as MeetingRow
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.core.storage import LocalStorage
from tests.integration.applications.journey import HTMX_PARTIAL
from tests.integration.commission.support import (
    ALIYA,
    ASTANA,
    BERIK,
    CHAIR,
    DEPUTY,
    SAULE,
    SECRETARY,
    VOTERS,
    YERLAN,
    Meeting,
    People,
    Stage,
    flashes,
    new_meeting,
    post,
    rows,
    rule,
    stage,
)


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


def _names(settings: Settings) -> dict[str, str]:
    from portal.demo.users import demo_user

    members = rows(settings, sa.select(CommissionMember).where(CommissionMember.tenant_id == ASTANA))  # type: ignore[arg-type]
    by_iin = {m.iin: m.full_name for m in members}
    return {sub: by_iin[demo_user(sub).iin] for sub in (*VOTERS, SECRETARY)}


def _held(
    people: People, database: Settings, *, secret: bool = False, close: bool = True
) -> tuple[Meeting, Stage]:
    """A meeting on two candidates: the first enrolled (2 for, 1 against, 1 abstention; Yerlan recused),
    the second left undecided; the deputy chair absent."""
    s = stage(database, count=2)
    with rule(database, secret_ballot=True) if secret else nullcontext():
        meeting = new_meeting(people, database, [s.key(0), s.key(1)])
        assert meeting.attend([CHAIR, ALIYA, BERIK, SAULE], remote=[YERLAN]).status_code == 303
        assert meeting.open().status_code == 303
    assert meeting.put_to_vote(0).status_code == 303
    assert meeting.recuse(YERLAN, "Кандидат — мой родственник").status_code == 303
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "against", SAULE: "abstain"})
    meeting.decided(0)
    if close:
        assert post(meeting.secretary, f"{meeting.url}/close").status_code == 303
    return meeting, s


def _versions(settings: Settings, meeting: Meeting) -> list[Minutes]:
    return rows(
        settings,
        sa.select(Minutes).where(Minutes.meeting_id == uuid.UUID(meeting.id)).order_by(Minutes.version),  # type: ignore[arg-type]
    )


def _text(pdf: bytes) -> str:
    """The text of every page, runs of whitespace made one space (table cells wrap their lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def _pdf_url(meeting: Meeting, version: Minutes) -> str:
    return f"{meeting.url}/minutes/{version.id}/pdf"


def test_cl6_5_minutes_are_drawn_up_once_the_meeting_is_closed(people: People, database: Settings) -> None:
    meeting, _s = _held(people, database, close=False)
    early = post(meeting.secretary, f"{meeting.url}/minutes")
    assert "The minutes are drawn up once the meeting is closed." in flashes(
        meeting.secretary.get(early.headers["location"]).text
    )
    assert _versions(database, meeting) == []
    assert post(meeting.secretary, f"{meeting.url}/close").status_code == 303
    page = meeting.secretary.get(f"{meeting.url}/minutes")
    assert page.status_code == 200 and "Draw up the minutes" in page.text
    fragment = meeting.secretary.get(f"{meeting.url}/minutes", headers=HTMX_PARTIAL)
    assert fragment.text.lstrip().startswith('<section id="minutes"') and "<html" not in fragment.text


def test_cl6_5_open_ballot_minutes_hold_attendance_votes_per_member_and_decisions(
    people: People, database: Settings
) -> None:
    meeting, s = _held(people, database)
    drawn = post(meeting.secretary, f"{meeting.url}/minutes")
    assert drawn.status_code == 303
    (v1,) = _versions(database, meeting)
    assert (v1.version, v1.year, v1.replaces_id, v1.signed_off_at) == (1, 2025, None, None)
    assert v1.sha256 is not None and re.fullmatch(r"[0-9a-f]{64}", v1.sha256)
    events = rows(database, sa.select(AuditEvent).where(AuditEvent.object_id == str(v1.id)))  # type: ignore[arg-type]
    assert [(e.action, e.clause) for e in events] == [("commission.minutes_drawn_up", "6(5)")]
    assert events[0].after is not None and events[0].after["sha256"] == v1.sha256

    pdf = meeting.secretary.get(_pdf_url(meeting, v1))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert pdf.headers["cache-control"] == "no-store"
    assert hashlib.sha256(pdf.content).hexdigest() == v1.sha256
    text = _text(pdf.content)
    names = _names(database)
    number = f"{v1.number}/2025"
    # Kazakh and Russian, the region, the number, date and place.
    assert f"№ {number} ХАТТАМА" in text and f"ПРОТОКОЛ № {number}" in text
    assert "Астана" in text and "20 февраля 2025, 10:00" in text and "Akimat, hall 1" in text
    # Attendance: every member with their presence; the secretary.
    for sub in (*VOTERS, SECRETARY):
        assert names[sub] in text, sub
    assert "отсутствовал(а)" in text and "дистанционно" in text and "қатыспады" in text
    # Votes per member (open ballot), the recusal with its reason, the totals and the decision.
    assert f"{names[CHAIR]} — за" in text and f"{names[ALIYA]} — за" in text
    assert f"{names[BERIK]} — против" in text and f"{names[SAULE]} — воздержался(ась)" in text
    assert f"{names[BERIK]} — қарсы" in text
    assert f"{names[YERLAN]} — " not in text  # recused: no vote line
    assert "Кандидат — мой родственник" in text
    assert "за — 2, против — 1, воздержались — 1." in text
    assert "РЕШЕНИЕ: принято." in text and "ШЕШІМ: қабылданды." in text
    assert (
        f"Зачислить {s.names[0]} в региональный кадровый резерв с 20 февраля 2025 по 20 февраля 2027" in text
    )
    assert "пункт 12 Правил" in text and "Қағидалардың 12-тармағы" in text
    assert "Вопрос не рассматривался" in text  # the second candidate was never put to the vote
    assert (
        f"Председательствующий: {names[CHAIR]}" in text and f"Секретарь комиссии: {names[SECRETARY]}" in text
    )
    # No IIN anywhere.
    iins = rows(database, sa.select(CommissionMember.iin).where(CommissionMember.tenant_id == ASTANA))  # type: ignore[arg-type]
    assert all(iin not in text for iin in iins)


def test_a20_secret_ballot_minutes_hold_only_the_totals(people: People, database: Settings) -> None:
    meeting, _s = _held(people, database, secret=True)
    assert post(meeting.secretary, f"{meeting.url}/minutes").status_code == 303
    (v1,) = _versions(database, meeting)
    text = _text(meeting.secretary.get(_pdf_url(meeting, v1)).content)
    names = _names(database)
    assert "тайное голосование" in text and "голоса членов комиссии не указываются, только итоги" in text
    assert "за — 2, против — 1, воздержались — 1." in text
    for sub in VOTERS:
        assert names[sub] in text  # the attendance lists everyone ...
        for choice in ("за", "против", "воздержался(ась)", "не голосовал(а)", "қолдады", "қарсы"):
            assert f"{names[sub]} — {choice}" not in text  # ... and nobody next to a choice


def test_cl6_5_signed_off_minutes_never_change_and_a_correction_is_version_2(
    people: People, database: Settings
) -> None:
    meeting, _s = _held(people, database)
    assert post(meeting.secretary, f"{meeting.url}/minutes").status_code == 303
    (v1,) = _versions(database, meeting)
    # Before sign-off: drawn up again, the same number and version, a new file.
    assert post(meeting.secretary, f"{meeting.url}/minutes").status_code == 303
    (again,) = _versions(database, meeting)
    assert (again.id, again.number, again.version) == (v1.id, v1.number, 1)
    # The members read signed-off minutes only.
    member_pdf = f"{meeting.ballot_url}/minutes/{v1.id}/pdf"
    assert people(ALIYA).get(member_pdf).status_code == 404
    assert "have not been signed off yet" in people(ALIYA).get(f"{meeting.ballot_url}/minutes").text

    signed = post(meeting.secretary, f"{meeting.url}/minutes/{v1.id}/sign")
    assert signed.status_code == 303
    (v1,) = _versions(database, meeting)
    assert v1.signed_off_at is not None and v1.signed_off_by is not None
    event = rows(
        database,
        sa.select(AuditEvent).where(  # type: ignore[arg-type]
            AuditEvent.object_id == str(v1.id), AuditEvent.action == "commission.minutes_signed_off"
        ),
    )[0]
    assert event.after is not None and event.after["sha256"] == v1.sha256
    original = meeting.secretary.get(_pdf_url(meeting, v1)).content

    # Signed off: neither drawn up again nor signed again.
    redraw = post(meeting.secretary, f"{meeting.url}/minutes")
    assert "These minutes have been signed off" in " ".join(
        flashes(meeting.secretary.get(redraw.headers["location"]).text)
    )
    resign = post(meeting.secretary, f"{meeting.url}/minutes/{v1.id}/sign")
    assert "already been signed off" in " ".join(
        flashes(meeting.secretary.get(resign.headers["location"]).text)
    )
    (still,) = _versions(database, meeting)
    assert (still.sha256, still.storage_key, still.signed_off_at) == (
        v1.sha256,
        v1.storage_key,
        v1.signed_off_at,
    )
    assert people(ALIYA).get(member_pdf).content == original

    # A correction: the note is required (422), then version 2 with the same number replaces version 1.
    empty = post(meeting.secretary, f"{meeting.url}/minutes/{v1.id}/correct", {"note": ""})
    assert empty.status_code == 422 and "This field is required." in empty.text
    corrected = post(
        meeting.secretary, f"{meeting.url}/minutes/{v1.id}/correct", {"note": "Место заседания уточнено"}
    )
    assert corrected.status_code == 303
    first, second = _versions(database, meeting)
    assert (second.number, second.year, second.version, second.replaces_id) == (v1.number, 2025, 2, v1.id)
    assert second.signed_off_at is None and second.sha256 != first.sha256
    text = _text(meeting.secretary.get(_pdf_url(meeting, second)).content)
    assert "Настоящая редакция заменяет редакцию 1 протокола" in text and "Место заседания уточнено" in text
    assert "редакция 2" in text
    # Version 1 stays readable, unchanged; version 2 is a draft the members do not see yet.
    assert meeting.secretary.get(_pdf_url(meeting, first)).content == original
    assert people(ALIYA).get(f"{meeting.ballot_url}/minutes/{second.id}/pdf").status_code == 404
    # Drawn up again before its sign-off, the correction keeps its note.
    assert post(meeting.secretary, f"{meeting.url}/minutes").status_code == 303
    text = _text(meeting.secretary.get(_pdf_url(meeting, _versions(database, meeting)[1])).content)
    assert "Место заседания уточнено" in text
    # Only the latest version is corrected or signed off.
    stale = post(meeting.secretary, f"{meeting.url}/minutes/{first.id}/correct", {"note": "again"})
    assert "Only the latest version" in " ".join(
        flashes(meeting.secretary.get(stale.headers["location"]).text)
    )
    assert post(meeting.secretary, f"{meeting.url}/minutes/{second.id}/sign").status_code == 303
    listing = people(BERIK).get(f"{meeting.ballot_url}/minutes").text
    assert "version 1" in listing and "version 2" in listing and "replaced by a correction" in listing
    assert people(DEPUTY).get(f"{meeting.ballot_url}/minutes/{second.id}/pdf").status_code == 200


def test_cl6_5_only_the_secretary_and_the_voting_members_of_the_region_read_the_minutes(
    people: People, database: Settings
) -> None:
    meeting, _s = _held(people, database)
    assert post(meeting.secretary, f"{meeting.url}/minutes").status_code == 303
    (v1,) = _versions(database, meeting)
    assert post(meeting.secretary, f"{meeting.url}/minutes/{v1.id}/sign").status_code == 303
    member_pdf = f"{meeting.ballot_url}/minutes/{v1.id}/pdf"
    assert people(CHAIR).get(member_pdf).status_code == 200
    for sub in ("tu-officer-dana", "candidate-aigerim", "admin-daniyar", "observer-zhanna"):
        assert people(sub).get(_pdf_url(meeting, v1)).status_code == 403, sub
        assert people(sub).get(member_pdf).status_code == 403, sub
    # Another region: the secretary's role does not reach Shymkent; in Karaganda (where the demo
    # secretary also serves) Astana's meeting is not found.
    assert meeting.secretary.get(_pdf_url(meeting, v1).replace("/astana/", "/shymkent/")).status_code == 403
    assert meeting.secretary.get(_pdf_url(meeting, v1).replace("/astana/", "/karaganda/")).status_code == 404
    assert people(ALIYA).get(member_pdf.replace("/astana/", "/karaganda/")).status_code == 404
    # Without the CSRF token nothing is signed or corrected.
    bare = meeting.secretary.post(f"{meeting.url}/minutes/{v1.id}/correct", data={"note": "x"})
    assert bare.status_code == 403
    assert len(_versions(database, meeting)) == 1


def test_cl6_5_minutes_are_numbered_per_region_per_year_and_a_taken_number_is_taken_again(
    people: People, database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _s1 = _held(people, database)
    second, _s2 = _held(people, database)
    assert post(first.secretary, f"{first.url}/minutes").status_code == 303
    (a,) = _versions(database, first)
    real = service._next_number
    calls: list[int] = []

    async def stale_first(session, tenant_id, year):  # type: ignore[no-untyped-def]
        calls.append(year)
        # The first read is stale (a concurrent secretary took the number meanwhile).
        return a.number if len(calls) == 1 else await real(session, tenant_id, year)

    monkeypatch.setattr(service, "_next_number", stale_first)

    async def draw() -> Minutes:
        async with session_scope(database) as session:
            meeting = await session.get(MeetingRow, uuid.UUID(second.id))
            assert meeting is not None
            drawn, _old = await service.draw_up(
                session,
                LocalStorage(database.storage_dir),
                meeting,
                service.Letterhead({"kk": "Астана", "ru": "Астана"}, ZoneInfo("Asia/Almaty")),
                actor=meeting.created_by,
                now=meeting.scheduled_at,
            )
            return drawn

    b = asyncio.run(draw())
    assert len(calls) == 2 and (b.year, b.number, b.version) == (a.year, a.number + 1, 1)
    stored = _versions(database, second)
    assert [m.number for m in stored] == [a.number + 1]
