"""The minutes (protocol) of a commission meeting (issue 7 item 6; cl. 6(5); A-RC-4(3), A-RC-12).

The secretary (the working body, A-RC-12) draws up the minutes of a closed meeting: in Kazakh and
Russian (portal.commission.minutes_pdf), with the region, the number, the date and place, the
attendance, each agenda item with its clause, the votes per member (open ballot) or only the totals
(secret ballot, rules.md A-20), and the decisions. The PDF is stored (portal.core.storage) and its
SHA-256 written into the audit log.

Numbering: per region per year (UNIQUE(tenant, year, number, version)); the next number is the
year's highest plus one, taken in a savepoint of the same transaction and taken again if a
concurrent secretary got it first.

Until sign-off the latest version may be drawn up again (the same number and version, a new PDF).
Sign-off (by the secretary; the chair signs the paper copy, whose lines the PDF carries) fixes it:
a signed-off version never changes. A correction is a new version with the same number that
`replaces_id` the old one; the old one stays readable. One audit event per change, clause 6(5).
"""

import hashlib
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

import anyio.to_thread
import sqlalchemy as sa
import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application
from portal.auth.models import User
from portal.commission import agenda, ballots, composition, counting, meetings
from portal.commission.minutes_pdf import (
    ItemRecord,
    MinutesContent,
    Person,
    RecusalLine,
    VoteLine,
    render_minutes,
)
from portal.commission.models import (
    AgendaItem,
    CommissionMember,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    Position,
    Recusal,
)
from portal.commission.policies import presiding, voting_members
from portal.core.audit import AuditEvent, Change, record
from portal.core.storage import Storage
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.reserve.models import ReserveMembership
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection

CLAUSE = "6(5)"
MEDIA_TYPE = "application/pdf"
#: How many times a number is taken again when a concurrent secretary took it first.
NUMBER_ATTEMPTS = 5
#: The largest minutes PDF stored (a guard, far above a real meeting's).
MAX_PDF_BYTES = 20 * 1024 * 1024
_POSITION_ORDER = {Position.CHAIR: 0, Position.DEPUTY_CHAIR: 1, Position.MEMBER: 2, Position.SECRETARY: 3}

log = structlog.get_logger(__name__)


class MinutesDamagedError(RuntimeError):
    """The stored PDF no longer matches the SHA-256 recorded when it was drawn up."""


@dataclass(frozen=True, slots=True)
class Letterhead:
    """What the minutes need besides the meeting's rows: the region's names and its time zone."""

    region: dict[str, str]
    zone: ZoneInfo


async def versions(session: AsyncSession, meeting: Meeting) -> list[Minutes]:
    """Every version of the meeting's minutes, the first first."""
    rows = await session.execute(
        sa.select(Minutes)
        .where(col(Minutes.meeting_id) == meeting.id, col(Minutes.tenant_id) == meeting.tenant_id)
        .order_by(col(Minutes.version))
    )
    return list(rows.scalars())


async def version_of(session: AsyncSession, meeting: Meeting, minutes_id: uuid.UUID) -> Minutes | None:
    row = await session.execute(
        sa.select(Minutes).where(
            col(Minutes.id) == minutes_id,
            col(Minutes.meeting_id) == meeting.id,
            col(Minutes.tenant_id) == meeting.tenant_id,
        )
    )
    return row.scalar_one_or_none()


def file_name(minutes: Minutes) -> str:
    return f"minutes-{minutes.number}-{minutes.year}-v{minutes.version}.pdf"


async def signers(session: AsyncSession, rows: Sequence[Minutes]) -> dict[uuid.UUID, str]:
    """The names of the people who signed the versions off."""
    ids = {m.signed_off_by for m in rows if m.signed_off_by is not None}
    if not ids:
        return {}
    users = await session.execute(sa.select(User).where(col(User.id).in_(ids)))
    return {u.id: u.full_name for u in users.scalars()}


# --- what the minutes say -------------------------------------------------------------------------


def _ordered(members: Sequence[CommissionMember]) -> list[CommissionMember]:
    return sorted(members, key=lambda m: (_POSITION_ORDER.get(m.position, 9), m.full_name))


async def _recusals(session: AsyncSession, item: AgendaItem) -> list[Recusal]:
    """The item's recusals with their reasons, as portal.commission.ballots.recused_on counts them."""
    condition = col(Recusal.item_id) == item.id
    if item.application_id is not None:
        condition = sa.or_(condition, col(Recusal.application_id) == item.application_id)
    rows = await session.execute(
        sa.select(Recusal)
        .where(col(Recusal.tenant_id) == item.tenant_id, condition)
        .order_by(col(Recusal.declared_at))
    )
    unique: dict[uuid.UUID, Recusal] = {}
    for recusal in rows.scalars():
        unique.setdefault(recusal.member_id, recusal)
    return list(unique.values())


Subjects = tuple[
    dict[uuid.UUID, str],
    dict[uuid.UUID, Application],
    dict[uuid.UUID, ReserveMembership],
    dict[uuid.UUID, agenda.ReserveSubject],
]


async def _subjects(session: AsyncSession, items: Sequence[AgendaItem]) -> Subjects:
    selection_ids = {i.selection_id for i in items if i.selection_id is not None}
    application_ids = {i.application_id for i in items if i.application_id is not None}
    selections = await session.execute(
        sa.select(col(Selection.id), col(Selection.reference)).where(col(Selection.id).in_(selection_ids))
    )
    applications = await session.execute(
        sa.select(Application).where(col(Application.id).in_(application_ids))
    )
    memberships = await session.execute(
        sa.select(ReserveMembership).where(col(ReserveMembership.decision_item_id).in_([i.id for i in items]))
    )
    return (
        dict(selections.all()),
        {a.id: a for a in applications.scalars()},
        {m.decision_item_id: m for m in memberships.scalars() if m.decision_item_id is not None},
        # ch. 2-1 requests and cl. 18 cases: the person and the recorded reason of the decision
        await agenda.reserve_subjects(session, items),
    )


async def _votes(
    session: AsyncSession, item: AgendaItem, voters: Sequence[CommissionMember], recused: set[uuid.UUID]
) -> tuple[VoteLine, ...]:
    """An open ballot's votes: every member present and not recused, with their choice or none."""
    tally = item.tally or {}
    present = set(tally.get("present_member_ids", []))
    cast = await ballots.open_votes(session, item)
    return tuple(
        VoteLine(m.full_name, cast[m.id].value if m.id in cast else "none")
        for m in voters
        if (str(m.id) in present or m.id in cast) and m.id not in recused
    )


async def _record(
    session: AsyncSession,
    item: AgendaItem,
    *,
    voters: Sequence[CommissionMember],
    names: dict[uuid.UUID, str],
    subjects: Subjects,
    secret_ballot: bool,
) -> ItemRecord:
    selections, applications, memberships, reserve = subjects
    application = applications.get(item.application_id) if item.application_id else None
    person = reserve.get(item.id)
    base = ItemRecord(
        position=item.position,
        kind=str(item.kind),
        clause=item.clause,
        selection_reference=selections.get(item.selection_id, "") if item.selection_id else "",
        candidate_name=application.candidate_name if application else (person.name if person else ""),
        candidate_reference=(application.reference or "") if application else "",
        stage=str(item.subject.get("stage", "")),
    )
    if item.status != ItemStatus.CLOSED or item.outcome is None:
        return base
    tally = item.tally or {}
    secret = tally.get("ballot", "secret" if secret_ballot else "open") == "secret"
    recusals = await _recusals(session, item)
    recused = {r.member_id for r in recusals}
    membership = memberships.get(item.id)
    return replace(
        base,
        decided=True,
        outcome=str(item.outcome),
        secret=secret,
        members=int(tally.get("members", 0)),
        present=int(tally.get("present", 0)),
        quorum_required=int(tally.get("quorum_required", 0)),
        quorum_met=bool(tally.get("quorum_met", False)),
        votes_for=int(tally.get("votes_for", 0)),
        votes_against=int(tally.get("votes_against", 0)),
        abstained=int(tally.get("abstained", 0)),
        tie=bool(tally.get("tie", False)),
        casting=bool(tally.get("decided_by_casting_vote", False)),
        votes=() if secret else await _votes(session, item, voters, recused),
        recused=tuple(RecusalLine(names.get(r.member_id, ""), r.reason) for r in recusals),
        term=(membership.starts_on, membership.ends_on) if membership is not None else None,
        reason=person.reason if person is not None else "",
    )


async def content(
    session: AsyncSession,
    meeting: Meeting,
    minutes: Minutes,
    letterhead: Letterhead,
    *,
    replaces: Minutes | None = None,
    note: str = "",
) -> MinutesContent:
    """Everything the minutes say, read from the meeting's rows (framework-free for the renderer)."""
    day = meetings.meeting_day(meeting, letterhead.zone)
    history = await composition.history(session, meeting.tenant_id)
    voters = _ordered(voting_members(history, day))
    secretaries = _ordered([m for m in history if m.position == Position.SECRETARY and m.in_force_on(day)])
    attendance = await meetings.attendance_of(session, meeting)
    present, _remote = counting.attending(voters, attendance)
    chair = presiding(voters, present)
    rule = await meetings.rule_of(session, meeting)
    items = await meetings.items_of(session, meeting)
    subjects = await _subjects(session, items)
    names = {m.id: m.full_name for m in history}
    people = [
        Person(p.member.full_name, p.member.post, str(p.member.position), str(p.presence))
        for p in meetings.presence_of(voters, attendance)
    ]
    people += [Person(s.full_name, s.post, str(s.position), "") for s in secretaries]
    quorum = rule.voting.quorum
    records = [
        await _record(
            session, i, voters=voters, names=names, subjects=subjects, secret_ballot=rule.secret_ballot
        )
        for i in items
    ]
    return MinutesContent(
        region=letterhead.region,
        number=minutes.number,
        year=minutes.year,
        version=minutes.version,
        held_at=meeting.scheduled_at.astimezone(letterhead.zone),
        place=meeting.place,
        secret_ballot=rule.secret_ballot,
        quorum=f"{quorum.numerator}/{quorum.denominator}",
        people=tuple(people),
        presiding=chair.full_name if chair is not None else "",
        secretary=", ".join(s.full_name for s in secretaries),
        items=tuple(records),
        created_at=minutes.created_at,
        replaces_version=replaces.version if replaces is not None else None,
        note=note,
    )


# --- drawing up, signing off, correcting ---------------------------------------------------------------


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _render_and_store(
    session: AsyncSession, storage: Storage, meeting: Meeting, minutes: Minutes, document: MinutesContent
) -> None:
    """Render the PDF (in a worker thread), store it, and point the row at it with its SHA-256."""
    pdf = await anyio.to_thread.run_sync(render_minutes, document)
    stored = await storage.save(_one(pdf), max_bytes=MAX_PDF_BYTES, tenant_id=meeting.tenant_id)
    minutes.storage_key, minutes.sha256 = stored.key, stored.sha256
    await session.flush()


async def _next_number(session: AsyncSession, tenant_id: str, year: int) -> int:
    found = await session.execute(
        sa.select(sa.func.max(col(Minutes.number))).where(
            col(Minutes.tenant_id) == tenant_id, col(Minutes.year) == year
        )
    )
    return int(found.scalar_one() or 0) + 1


async def _insert(session: AsyncSession, row: Minutes) -> bool:
    """Insert the row in a savepoint: False (and nothing kept) when a unique constraint refuses it."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def _first_version(
    session: AsyncSession, meeting: Meeting, *, actor: uuid.UUID, now: datetime
) -> Minutes:
    """Version 1 under the year's next number, taken again if another transaction got it first."""
    for _attempt in range(NUMBER_ATTEMPTS):
        row = Minutes(
            tenant_id=meeting.tenant_id,
            meeting_id=meeting.id,
            year=meeting.year,
            number=await _next_number(session, meeting.tenant_id, meeting.year),
            version=1,
            created_by=actor,
            created_at=now,
        )
        if await _insert(session, row):
            return row
        if await versions(session, meeting):
            raise TransitionRefused(_("The minutes of this meeting have just been drawn up."))
    raise TransitionRefused(_("The minutes could not be numbered. Try again."))


async def _note_of(session: AsyncSession, minutes: Minutes) -> str:
    """A correction's note, as recorded in the audit log when the version was made."""
    if minutes.replaces_id is None:
        return ""
    found = await session.execute(
        sa.select(col(AuditEvent.after))
        .where(
            col(AuditEvent.object_type) == "minutes",
            col(AuditEvent.object_id) == str(minutes.id),
            col(AuditEvent.tenant_id) == minutes.tenant_id,
        )
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    )
    after = found.scalar_one_or_none() or {}
    return str(after.get("note", ""))


def _audit(action: str, minutes: Minutes, actor: uuid.UUID, **extra: object) -> Change:
    return Change(
        action,
        "minutes",
        str(minutes.id),
        str(actor),
        minutes.tenant_id,
        clause=CLAUSE,
        after={
            "meeting": minutes.meeting_id,
            "number": f"{minutes.number}/{minutes.year}",
            "version": minutes.version,
            "sha256": minutes.sha256,
            **extra,
        },
    )


SIGNED = N_("These minutes have been signed off: they cannot change. Make a correction instead.")


async def draw_up(
    session: AsyncSession,
    storage: Storage,
    meeting: Meeting,
    letterhead: Letterhead,
    *,
    actor: uuid.UUID,
    now: datetime,
) -> tuple[Minutes, str | None]:
    """Draw up the minutes of a closed meeting: version 1, or the latest version again while it is
    not signed off. Returns the row and the replaced PDF's storage key (delete it after the commit)."""
    if meeting.status != MeetingStatus.CLOSED:
        raise TransitionRefused(_("The minutes are drawn up once the meeting is closed."))
    existing = await versions(session, meeting)
    latest = existing[-1] if existing else None
    if latest is not None and latest.signed_off_at is not None:
        raise TransitionRefused(_(SIGNED))
    minutes = latest or await _first_version(session, meeting, actor=actor, now=now)
    replaces = next((m for m in existing if m.id == minutes.replaces_id), None)
    note = await _note_of(session, minutes)
    old_key = minutes.storage_key
    document = await content(session, meeting, minutes, letterhead, replaces=replaces, note=note)
    await _render_and_store(session, storage, meeting, minutes, document)
    await record(
        session,
        _audit(
            "commission.minutes_drawn_up",
            minutes,
            actor,
            replaces=minutes.replaces_id,
            **({"note": note} if note else {}),
        ),
    )
    return minutes, old_key


async def sign_off(
    session: AsyncSession, meeting: Meeting, minutes: Minutes, *, actor: uuid.UUID, now: datetime
) -> Minutes:
    """Sign the latest version off: from now on it never changes (a correction is a new version)."""
    if minutes.signed_off_at is not None:
        raise TransitionRefused(_("This version has already been signed off."))
    existing = await versions(session, meeting)
    if existing[-1].id != minutes.id:
        raise TransitionRefused(_("Only the latest version of the minutes can be signed off."))
    if minutes.storage_key is None or minutes.sha256 is None:
        raise TransitionRefused(_("Draw up the minutes first."))
    signed = await session.execute(
        sa.update(Minutes)
        .where(col(Minutes.id) == minutes.id, col(Minutes.signed_off_at).is_(None))
        .values(signed_off_by=actor, signed_off_at=now)
        .returning(col(Minutes.id))
    )
    if signed.scalar_one_or_none() is None:  # signed off by someone else a moment ago
        raise TransitionRefused(_("This version has already been signed off."))
    minutes.signed_off_by, minutes.signed_off_at = actor, now
    await record(session, _audit("commission.minutes_signed_off", minutes, actor, signed_off_at=now))
    return minutes


async def correct(
    session: AsyncSession,
    storage: Storage,
    meeting: Meeting,
    minutes: Minutes,
    letterhead: Letterhead,
    *,
    note: str,
    actor: uuid.UUID,
    now: datetime,
) -> Minutes:
    """A correction of signed-off minutes: a new version with the same number that replaces the old
    one (which stays readable), printed with what it corrects."""
    note = note.strip()[:2000]
    if not note:
        raise TransitionRefused(_("Say what the correction changes."))
    existing = await versions(session, meeting)
    if existing[-1].id != minutes.id:
        raise TransitionRefused(_("Only the latest version of the minutes can be corrected."))
    if minutes.signed_off_at is None:
        raise TransitionRefused(_("This version is not signed off yet: draw it up again instead."))
    row = Minutes(
        tenant_id=minutes.tenant_id,
        meeting_id=meeting.id,
        year=minutes.year,
        number=minutes.number,
        version=minutes.version + 1,
        replaces_id=minutes.id,
        created_by=actor,
        created_at=now,
    )
    if not await _insert(session, row):
        raise TransitionRefused(_("A correction of these minutes has just been made."))
    document = await content(session, meeting, row, letterhead, replaces=minutes, note=note)
    await _render_and_store(session, storage, meeting, row, document)
    await record(session, _audit("commission.minutes_corrected", row, actor, replaces=minutes.id, note=note))
    return row


async def read_pdf(storage: Storage, minutes: Minutes) -> bytes:
    """The stored PDF, checked against the SHA-256 recorded when it was drawn up."""
    if minutes.storage_key is None or minutes.sha256 is None:
        raise MinutesDamagedError("the minutes have no stored PDF")
    data = b"".join([chunk async for chunk in storage.open(minutes.storage_key)])
    if hashlib.sha256(data).hexdigest() != minutes.sha256:
        log.error("minutes.hash_mismatch", minutes=str(minutes.id))
        raise MinutesDamagedError("the stored minutes do not match their SHA-256")
    return data
