"""Preparing a selection (cl. 3) and announcing it (cl. 7): draft, agreement with the Agency,
publication with the legal notice period, publication evidence.

Transitions of rules.md 3.1: draft -> awaiting the commission's approval (cl. 3, A-RC-4(10)) ->
awaiting the Agency's agreement -> agreed (or back to draft) -> announced.

Submitting a draft sends it to the commission (`submit_to_commission`): the secretary puts it on a
meeting's agenda (portal.commission.agenda) and the members vote. While it waits for the commission
the parameters cannot be edited: the members vote on exactly what was submitted. The decision
(`commission_decided`, called by portal.commission.decisions) either sends it to the Agency's queue,
or returns it to draft with the commission's reason; only then can it be edited again.
Editing the parameters after the Agency received or agreed them returns the selection to draft.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.core.audit import Change, record
from portal.core.forms import Form
from portal.i18n import gettext as _
from portal.rules.calendar import WorkCalendar, kz_calendar
from portal.selections.models import AnnouncementText, Selection, SelectionDirection, SelectionStatus
from portal.selections.stage_models import (
    AgreementAction,
    AgreementRecord,
    Channel,
    InterviewRubric,
    PublicationEvidence,
)

LANGUAGES = ("kk", "ru", "en")
REQUIRED_LANGUAGES = ("kk", "ru")  # rules.md R-7 para 2: kk and ru mandatory, en optional
DATE_FIELDS = (
    "planned_publication",
    "intake_start",
    "intake_end",
    "testing_on",
    "competency_on",
    "interview_on",
    "consideration_on",
)
TEXT_FIELDS = tuple(f"{part}_{lang}" for lang in LANGUAGES for part in ("title", "summary", "body"))
SCALAR_FIELDS = ("quota", "notice_working_days", "contact_email", "contact_phone", *DATE_FIELDS)
EDITABLE = (SelectionStatus.DRAFT, SelectionStatus.AWAITING_AGREEMENT, SelectionStatus.AGREED)


class TransitionRefused(Exception):  # noqa: N818 - a refusal explained to the user
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@lru_cache(maxsize=8)
def calendar_for(years: tuple[int, ...]) -> WorkCalendar:
    """The Kazakhstan working-day calendar (rules.md 5.3) for the years a check spans."""
    return kz_calendar(years)


def calendar_between(first: date, last: date) -> WorkCalendar:
    """The calendar for the years from `first` to `last`, and the year before: the notice period
    (cl. 7) walks back from an intake start in January into December."""
    return calendar_for(tuple(range(min(first, last).year - 1, max(first, last).year + 1)))


@dataclass(frozen=True, slots=True)
class DraftInput:
    """A checked selection form (directions: code -> optional own quota)."""

    values: dict[str, str]
    directions: dict[str, int | None]
    rubric: list[dict[str, str]]


def check_draft(
    form: Form, directions: dict[str, str], known_directions: Sequence[str], today: date
) -> DraftInput:
    """cl. 3 and cl. 7: quota, directions, ordered dates, texts, and the notice period on the calendar."""
    quota = _positive(form, "quota")
    notice = _positive(form, "notice_working_days")
    if notice is not None and notice < 5:
        form.error("notice_working_days", _("The notice period cannot be shorter than 5 working days."))
    form.email("contact_email")
    form.text("contact_phone", required=False, max_length=40)
    dates = {name: form.day(name) for name in DATE_FIELDS}
    _ordered(form, dates, today)
    for language in REQUIRED_LANGUAGES:
        for part in ("title", "summary", "body"):
            form.text(f"{part}_{language}", max_length=300 if part == "title" else 20_000)
    chosen = _directions(form, directions, known_directions, quota)
    rubric = _rubric(form)
    start, published = dates["intake_start"], dates["planned_publication"]
    if form.valid and start and published and notice:
        calendar = calendar_between(published, start)
        if not calendar.notice_is_sufficient(published, start, notice):
            latest = calendar.latest_publication_date(start, notice)
            form.error(
                "intake_start",
                _(
                    "Intake can start only %(days)s working days after publication: "
                    "publish by %(date)s (clause 7).",
                    days=notice,
                    date=latest.isoformat(),
                ),
            )
    return DraftInput(form.values, chosen, rubric)


def _positive(form: Form, name: str) -> int | None:
    value = form.get(name)
    if not value.isdigit() or int(value) < 1:
        form.error(name, _("Enter a whole number of at least 1."))
        return None
    return int(value)


def _ordered(form: Form, dates: dict[str, date | None], today: date) -> None:
    published = dates["planned_publication"]
    if published and published < today:
        form.error("planned_publication", _("The publication date cannot be in the past."))
    previous_name, previous = None, None
    for name in DATE_FIELDS[1:]:
        current = dates[name]
        if current and previous and current < previous and previous_name:
            form.error(name, _("This date cannot be before the previous stage."))
        if current and name == "testing_on" and dates["intake_end"] and current <= dates["intake_end"]:
            form.error(name, _("Testing comes after document intake has closed."))
        previous_name, previous = name, current or previous


def _directions(
    form: Form, directions: dict[str, str], known: Sequence[str], quota: int | None
) -> dict[str, int | None]:
    chosen: dict[str, int | None] = {}
    for code, own in directions.items():
        if code not in known:
            continue
        if own and (not own.isdigit() or int(own) < 1):
            form.error(
                "directions", _("A direction's number of places must be a whole number of at least 1.")
            )
        chosen[code] = int(own) if own.isdigit() else None
    if not chosen:
        form.error("directions", _("Choose at least one sector direction (clause 3)."))
    own_quotas = [q for q in chosen.values() if q is not None]
    if own_quotas and (len(own_quotas) != len(chosen) or (quota and sum(own_quotas) != quota)):
        form.error(
            "directions", _("Give every direction its places, adding up to the overall number, or none.")
        )
    return chosen


def _rubric(form: Form) -> list[dict[str, str]]:
    lines = {
        lang: [line.strip() for line in form.get(f"rubric_{lang}").splitlines() if line.strip()]
        for lang in LANGUAGES
    }
    if not lines["kk"]:
        form.error("rubric_kk", _("List the competencies of the interview, one per line."))
        return []
    if any(len(lines[lang]) not in (0, len(lines["kk"])) for lang in ("ru", "en")):
        form.error("rubric_ru", _("Each language must list the same number of competencies."))
    return [
        {
            "code": f"c{i + 1}",
            **{lang: (lines[lang][i] if i < len(lines[lang]) else lines["kk"][i]) for lang in LANGUAGES},
        }
        for i in range(len(lines["kk"]))
    ]


async def _next_reference(session: AsyncSession, tenant_id: str, year: int) -> str:
    prefix = f"{tenant_id}-{year}-"
    rows = await session.execute(
        sa.select(col(Selection.reference)).where(
            col(Selection.tenant_id) == tenant_id, col(Selection.reference).startswith(prefix)
        )
    )
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in rows.scalars() if ref.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


async def save_draft(
    session: AsyncSession,
    *,
    tenant_id: str,
    actor: uuid.UUID,
    draft: DraftInput,
    selection: Selection | None = None,
) -> Selection:
    """Create or edit a selection's parameters (cl. 3).

    An edit after the parameters were sent or agreed returns the selection to draft.
    """
    values = draft.values
    if selection is None:
        start = date.fromisoformat(values["intake_start"])
        selection = Selection(
            tenant_id=tenant_id,
            reference=await _next_reference(session, tenant_id, start.year),
            cycle_year=start.year,
            quota=1,
            contact_email="",
            intake_start=start,
            intake_end=start,
        )
        session.add(selection)
    elif selection.status == SelectionStatus.AWAITING_COMMISSION:
        raise TransitionRefused(
            _(
                "The parameters are waiting for the commission's approval: they can be edited again "
                "if the commission does not approve them."
            )
        )
    elif selection.status not in EDITABLE:
        raise TransitionRefused(_("An announced selection can no longer be edited."))
    before = selection.status
    selection.quota = int(values["quota"])
    selection.notice_working_days = int(values["notice_working_days"])
    selection.contact_email, selection.contact_phone = values["contact_email"], values["contact_phone"]
    for name in DATE_FIELDS[1:]:
        setattr(selection, name, date.fromisoformat(values[name]))
    selection.cycle_year = selection.intake_start.year
    selection.status = SelectionStatus.DRAFT
    await session.flush()
    await _replace_children(session, selection, draft)
    await record(
        session,
        Change(
            "selection.draft_saved",
            "selection",
            str(selection.id),
            str(actor),
            tenant_id,
            clause="3",
            before={"status": before},
            after={"status": selection.status, "quota": selection.quota},
        ),
    )
    return selection


async def _replace_children(session: AsyncSession, selection: Selection, draft: DraftInput) -> None:
    for model in (SelectionDirection, AnnouncementText):
        await session.execute(sa.delete(model).where(col(model.selection_id) == selection.id))
    rubric = await session.get(InterviewRubric, selection.id)
    if rubric is None:
        rubric = InterviewRubric(selection_id=selection.id, tenant_id=selection.tenant_id)
        session.add(rubric)
    rubric.competencies = draft.rubric
    session.add_all(
        SelectionDirection(
            selection_id=selection.id, direction_code=code, tenant_id=selection.tenant_id, quota=quota
        )
        for code, quota in draft.directions.items()
    )
    session.add_all(
        AnnouncementText(
            selection_id=selection.id,
            tenant_id=selection.tenant_id,
            language=language,
            title=draft.values[f"title_{language}"],
            summary=draft.values[f"summary_{language}"],
            body=draft.values[f"body_{language}"],
        )
        for language in LANGUAGES
        if draft.values.get(f"title_{language}")
    )
    await session.flush()


async def _agreement(
    session: AsyncSession, selection: Selection, actor: uuid.UUID, action: AgreementAction, comment: str = ""
) -> None:
    session.add(
        AgreementRecord(
            tenant_id=selection.tenant_id,
            selection_id=selection.id,
            action=action,
            comment=comment,
            actor=actor,
        )
    )
    await session.flush()
    await record(
        session,
        Change(
            f"selection.{action}",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="3",
            after={"status": selection.status, "comment": comment},
        ),
    )


async def submit_to_commission(session: AsyncSession, selection: Selection, actor: uuid.UUID) -> None:
    """Draft -> awaiting the commission's approval of the parameters (cl. 3, A-RC-4(10))."""
    if selection.status != SelectionStatus.DRAFT:
        raise TransitionRefused(_("Only a draft can be sent to the commission."))
    selection.status = SelectionStatus.AWAITING_COMMISSION
    await _agreement(session, selection, actor, AgreementAction.TO_COMMISSION)


async def commission_decided(
    session: AsyncSession,
    selection: Selection,
    *,
    approved: bool,
    actor: uuid.UUID,
    reference: str,
    meeting_id: uuid.UUID,
    item_id: uuid.UUID,
    reason: str = "",
) -> None:
    """The commission's decision on the parameters (cl. 3, A-RC-4(10)), quoted by its minutes
    reference: approved -> awaiting the Agency's agreement (the Agency's queue); not approved ->
    back to draft, with the reason (required)."""
    if selection.status != SelectionStatus.AWAITING_COMMISSION:
        raise TransitionRefused(_("This selection is not waiting for the commission's approval."))
    reason = reason.strip()
    if not approved and not reason:
        raise TransitionRefused(_("Say what must change: the reason is required."))
    before = selection.status
    selection.status = SelectionStatus.AWAITING_AGREEMENT if approved else SelectionStatus.DRAFT
    comment = reference if approved else f"{reference}: {reason}"
    action = AgreementAction.APPROVED if approved else AgreementAction.NOT_APPROVED
    session.add(
        AgreementRecord(
            tenant_id=selection.tenant_id,
            selection_id=selection.id,
            action=action,
            comment=comment,
            actor=actor,
        )
    )
    await session.flush()
    await record(
        session,
        Change(
            f"selection.commission_{action}",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="3",
            before={"status": before},
            after={
                "status": selection.status,
                "decision": reference,
                "meeting": meeting_id,
                "item": item_id,
                "reason": reason,
            },
        ),
    )


async def drafter_of(session: AsyncSession, selection: Selection) -> uuid.UUID | None:
    """Who last sent the selection to the commission (told of the commission's decision)."""
    row = await session.execute(
        sa.select(col(AgreementRecord.actor))
        .where(
            col(AgreementRecord.selection_id) == selection.id,
            col(AgreementRecord.tenant_id) == selection.tenant_id,
            col(AgreementRecord.action) == AgreementAction.TO_COMMISSION,
        )
        .order_by(col(AgreementRecord.at).desc(), col(AgreementRecord.id).desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def agree(session: AsyncSession, selection: Selection, actor: uuid.UUID, comment: str = "") -> None:
    """The Agency agrees the parameters (cl. 3; rules.md A-34: the central Agency)."""
    if selection.status != SelectionStatus.AWAITING_AGREEMENT:
        raise TransitionRefused(_("This selection is not waiting for agreement."))
    selection.status = SelectionStatus.AGREED
    await _agreement(session, selection, actor, AgreementAction.AGREED, comment)


async def return_to_draft(
    session: AsyncSession, selection: Selection, actor: uuid.UUID, comment: str
) -> None:
    """The Agency returns the parameters with its comments (cl. 3)."""
    if selection.status != SelectionStatus.AWAITING_AGREEMENT:
        raise TransitionRefused(_("This selection is not waiting for agreement."))
    if not comment.strip():
        raise TransitionRefused(_("Say what must change: the comment is required."))
    selection.status = SelectionStatus.DRAFT
    await _agreement(session, selection, actor, AgreementAction.RETURNED, comment.strip())


async def publish(session: AsyncSession, selection: Selection, actor: uuid.UUID, today: date) -> None:
    """Agreed -> announced, published today; the notice period is checked again now (cl. 7, A-01, A-02)."""
    if selection.status != SelectionStatus.AGREED:
        raise TransitionRefused(_("Only a selection agreed with the Agency can be published (clause 3)."))
    calendar = calendar_between(today, selection.intake_start)
    if not calendar.notice_is_sufficient(today, selection.intake_start, selection.notice_working_days):
        latest = calendar.latest_publication_date(selection.intake_start, selection.notice_working_days)
        raise TransitionRefused(
            _(
                "Too late to publish: with intake from %(start)s, "
                "the last day to publish was %(latest)s (clause 7).",
                start=selection.intake_start.isoformat(),
                latest=latest.isoformat(),
            )
        )
    selection.status, selection.published_on = SelectionStatus.ANNOUNCED, today
    await session.flush()
    await record(
        session,
        Change(
            "selection.announced",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="7",
            after={"published_on": today, "notice_working_days": selection.notice_working_days},
        ),
    )


async def record_evidence(
    session: AsyncSession,
    selection: Selection,
    actor: uuid.UUID,
    *,
    channel: Channel,
    url: str,
    published_on: date,
) -> None:
    """Where and when the announcement appeared outside the portal (cl. 7 para 1)."""
    if selection.published_on is None:
        raise TransitionRefused(_("Publish the announcement on the portal first."))
    existing = (
        await session.execute(
            sa.select(PublicationEvidence).where(
                col(PublicationEvidence.selection_id) == selection.id,
                col(PublicationEvidence.channel) == channel,
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        existing = PublicationEvidence(
            tenant_id=selection.tenant_id,
            selection_id=selection.id,
            channel=channel,
            url=url,
            published_on=published_on,
            recorded_by=actor,
        )
        session.add(existing)
    existing.url, existing.published_on = url, published_on
    await session.flush()
    await record(
        session,
        Change(
            "selection.evidence_recorded",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="7",
            after={"channel": channel, "url": url, "published_on": published_on},
        ),
    )
