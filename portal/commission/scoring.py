"""Interview scoring (stage 4; cl. 6(4), 12; rules.md A-12, A-13; issue 7 item 2).

Each member of the commission in force today (chair, deputy chair, members: those who vote; the
secretary records and does not score) scores every candidate who attended the structured interview
on each competency of the selection's rubric, 1..scale_max. No-shows have no score (A-13).

A member rescores as often as needed while the selection is at the interview stage, until the
candidate's item is put to the vote; after that the sheet is fixed (a decided candidate is
decided on these scores). A member who declares a conflict of interest on a candidate (a
`Recusal` on the candidate: `application_id`, with the reason) neither scores nor votes on them
(portal.commission.ballots.recused_on reads the same rows); scores they gave before do not count.

The calibration view shows, per candidate and competency, the spread between members and the
outliers (portal.rules.scoring) before the vote; `recommendation` ranks the candidates by their
averaged score for the agenda of stage 5. Every saved sheet is one audit event, clause 6(4),
naming the member and the candidate by id (never an IIN).
"""

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application
from portal.commission import composition
from portal.commission.agenda import ENROLMENT_CANDIDATES
from portal.commission.models import (
    AgendaItem,
    CommissionMember,
    InterviewScore,
    ItemKind,
    ItemOutcome,
    ItemStatus,
    Recusal,
)
from portal.core.audit import Change, record
from portal.core.forms import Form
from portal.core.models import utcnow
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.rules import ranking
from portal.rules import scoring as rules
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import InterviewRubric, InterviewSlot, SlotStatus

CLAUSE = "6(4)"
#: Members score while the selection is at the interview stage (stage 4, cl. 6(4)).
SCORING_STATUSES: frozenset[SelectionStatus] = frozenset({SelectionStatus.INTERVIEW})
#: The scores stay readable (calibration, recommendation) through consideration and after.
READABLE_STATUSES: frozenset[SelectionStatus] = frozenset(
    {SelectionStatus.INTERVIEW, SelectionStatus.CONSIDERATION, SelectionStatus.COMPLETED}
)
#: Outcomes after which the candidate is decided (no quorum decides nothing: A-20).
DECIDED = frozenset({ItemOutcome.ADOPTED, ItemOutcome.REJECTED})
FIELD_PREFIX = "score-"

NOT_INTERVIEW = N_("Scores can be given while the selection is at the interview stage.")
BEING_VOTED = N_("The commission is voting on this candidate: the scores are fixed.")
DECIDED_TEXT = N_("The commission has decided on this candidate: the scores are fixed.")
NO_RUBRIC = N_("The selection has no interview rubric: the competencies are set when it is drafted.")
RECUSED_TEXT = N_("You declared a conflict of interest on this candidate: you do not score them.")


# --- the rubric and the people ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Competency:
    code: str
    names: Mapping[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("kk") or self.code


@dataclass(frozen=True, slots=True)
class Rubric:
    """The selection's interview rubric (A-12): the competencies, each scored 1..scale_max."""

    competencies: tuple[Competency, ...]
    scale_max: int = rules.DEFAULT_SCALE_MAX

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.competencies)

    @property
    def scale(self) -> range:
        return range(1, self.scale_max + 1)


def rubric_from(row: InterviewRubric | None) -> Rubric:
    if row is None:
        return Rubric(())
    competencies = tuple(
        Competency(str(c["code"]), {k: str(v) for k, v in c.items() if k != "code"})
        for c in row.competencies
        if c.get("code")
    )
    return Rubric(competencies, row.scale_max or rules.DEFAULT_SCALE_MAX)


async def rubric_of(session: AsyncSession, selection: Selection) -> Rubric:
    row = await session.get(InterviewRubric, selection.id)
    return rubric_from(row if row is not None and row.tenant_id == selection.tenant_id else None)


async def scorer(session: AsyncSession, tenant_id: str, iin: str, day: date) -> CommissionMember | None:
    """The person's term in the composition in force on the day, if they vote (and so score)."""
    member = await composition.member_for(session, tenant_id, iin, day)
    return member if member is not None and member.votes else None


async def readable_selections(session: AsyncSession, tenant_id: str) -> list[Selection]:
    """The region's selections whose interview is being scored or has been."""
    rows = await session.execute(
        sa.select(Selection)
        .where(col(Selection.tenant_id) == tenant_id, col(Selection.status).in_(READABLE_STATUSES))
        .order_by(col(Selection.reference).desc())
    )
    return list(rows.scalars())


async def readable_selection(
    session: AsyncSession, tenant_id: str, selection_id: uuid.UUID
) -> Selection | None:
    """A selection of the region whose scores can be read; another region's or an earlier stage: None."""
    row = await session.execute(
        sa.select(Selection).where(
            col(Selection.id) == selection_id,
            col(Selection.tenant_id) == tenant_id,
            col(Selection.status).in_(READABLE_STATUSES),
        )
    )
    return row.scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate who attended the structured interview (A-13: the others have no score)."""

    application: Application
    pseudonym: str

    @property
    def id(self) -> uuid.UUID:
        return self.application.id


async def interviewed(
    session: AsyncSession, selection: Selection, application_id: uuid.UUID | None = None
) -> list[Candidate]:
    """The selection's candidates who attended the interview (InterviewSlot ATTENDED), by reference."""
    query = (
        sa.select(Application, col(InterviewSlot.pseudonym))
        .join(InterviewSlot, col(InterviewSlot.application_id) == col(Application.id))
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.tenant_id) == selection.tenant_id,
            col(InterviewSlot.tenant_id) == selection.tenant_id,
            col(InterviewSlot.status) == SlotStatus.ATTENDED,
        )
        .order_by(col(Application.reference), col(Application.id))
    )
    if application_id is not None:
        query = query.where(col(Application.id) == application_id)
    return [
        Candidate(application, pseudonym) for application, pseudonym in (await session.execute(query)).all()
    ]


async def items_by_candidate(
    session: AsyncSession, tenant_id: str, application_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[AgendaItem]]:
    """The agenda items about each candidate, at any meeting."""
    found: dict[uuid.UUID, list[AgendaItem]] = defaultdict(list)
    if not application_ids:
        return found
    rows = await session.execute(
        sa.select(AgendaItem).where(
            col(AgendaItem.tenant_id) == tenant_id, col(AgendaItem.application_id).in_(application_ids)
        )
    )
    for item in rows.scalars():
        if item.application_id is not None:
            found[item.application_id].append(item)
    return found


def lock_reason(selection: Selection, application: Application, items: Iterable[AgendaItem]) -> str | None:
    """Why the candidate's sheets can no longer change (cl. 6(4), 6(5)), or None while they can:
    only at the interview stage, and until the candidate's item is put to the vote or decided."""
    if selection.status not in SCORING_STATUSES:
        return _(NOT_INTERVIEW)
    for item in items:
        if item.status == ItemStatus.OPEN:
            return _(BEING_VOTED)
        if item.status == ItemStatus.CLOSED and item.outcome in DECIDED:
            return _(DECIDED_TEXT)
    if application.status not in ENROLMENT_CANDIDATES:
        return _(DECIDED_TEXT)
    return None


async def recusals(
    session: AsyncSession, tenant_id: str, application_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, dict[uuid.UUID, Recusal]]:
    """Who is recused from each candidate, by member: on the candidate or on an item about them
    (as portal.commission.ballots.recused_on counts them for the vote)."""
    found: dict[uuid.UUID, dict[uuid.UUID, Recusal]] = defaultdict(dict)
    if not application_ids:
        return found
    on_items = sa.select(col(AgendaItem.id)).where(
        col(AgendaItem.tenant_id) == tenant_id, col(AgendaItem.application_id).in_(application_ids)
    )
    rows = await session.execute(
        sa.select(Recusal, col(AgendaItem.application_id))
        .outerjoin(AgendaItem, col(AgendaItem.id) == col(Recusal.item_id))
        .where(
            col(Recusal.tenant_id) == tenant_id,
            sa.or_(col(Recusal.application_id).in_(application_ids), col(Recusal.item_id).in_(on_items)),
        )
        .order_by(col(Recusal.declared_at))
    )
    for recusal, item_application in rows.all():
        application_id = recusal.application_id or item_application
        if application_id is not None:
            found[application_id].setdefault(recusal.member_id, recusal)
    return found


Sheets = dict[uuid.UUID, dict[uuid.UUID, dict[str, int]]]


async def sheets_of(session: AsyncSession, selection: Selection) -> Sheets:
    """Every score of the selection: candidate -> member -> competency -> score."""
    rows = await session.execute(
        sa.select(
            col(InterviewScore.application_id),
            col(InterviewScore.member_id),
            col(InterviewScore.competency),
            col(InterviewScore.score),
        ).where(
            col(InterviewScore.selection_id) == selection.id,
            col(InterviewScore.tenant_id) == selection.tenant_id,
        )
    )
    found: Sheets = defaultdict(lambda: defaultdict(dict))
    for application_id, member_id, competency, score in rows.all():
        found[application_id][member_id][competency] = score
    return found


def counted(
    sheets: Mapping[uuid.UUID, Mapping[str, int]], recused: Collection[uuid.UUID], rubric: Rubric
) -> dict[uuid.UUID, dict[str, int]]:
    """The sheets that count: not a recused member's, and only the rubric's competencies."""
    codes = set(rubric.codes)
    return {
        member: {code: score for code, score in sheet.items() if code in codes}
        for member, sheet in sheets.items()
        if member not in recused
    }


# --- a member's sheet ----------------------------------------------------------------------------------


def read_sheet(data: Mapping[str, Any], rubric: Rubric) -> tuple[Form, dict[str, int] | None]:
    """The scoring form: one `score-<code>` radio group per competency, every one required."""
    form = Form.of(data, [FIELD_PREFIX + code for code in rubric.codes])
    scores: dict[str, int] = {}
    for code in rubric.codes:
        name = FIELD_PREFIX + code
        value = form.get(name)
        if not value:
            form.error(name, _("Give a score for this competency."))
        elif not value.isdigit() or not rules.valid_score(int(value), rubric.scale_max):
            form.error(name, _("Give a score from 1 to %(max)s.", max=rubric.scale_max))
        else:
            scores[code] = int(value)
    if not rubric.codes:
        form.error("rubric", _(NO_RUBRIC))
    return form, scores if form.valid else None


def sheet_form(sheet: Mapping[str, int]) -> Form:
    return Form({FIELD_PREFIX + code: str(score) for code, score in sheet.items()})


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a member stands on a candidate: their sheet, whether they may change it and why not."""

    sheet: dict[str, int]
    recusal: Recusal | None
    locked: str | None

    @property
    def may_score(self) -> bool:
        return self.recusal is None and self.locked is None

    def complete(self, rubric: Rubric) -> bool:
        return rules.complete(self.sheet, rubric.codes)


async def standing(
    session: AsyncSession, selection: Selection, candidate: Candidate, member: CommissionMember
) -> Standing:
    items = await items_by_candidate(session, selection.tenant_id, [candidate.id])
    recused = (await recusals(session, selection.tenant_id, [candidate.id])).get(candidate.id, {})
    rows = await session.execute(
        sa.select(col(InterviewScore.competency), col(InterviewScore.score)).where(
            col(InterviewScore.application_id) == candidate.id,
            col(InterviewScore.member_id) == member.id,
            col(InterviewScore.tenant_id) == selection.tenant_id,
        )
    )
    return Standing(
        dict(rows.all()),
        recused.get(member.id),
        lock_reason(selection, candidate.application, items.get(candidate.id, [])),
    )


@dataclass(frozen=True, slots=True)
class Line:
    """A candidate on the member's scoring list, with the member's own standing on them."""

    candidate: Candidate
    standing: Standing


async def overview(session: AsyncSession, selection: Selection, member: CommissionMember) -> list[Line]:
    """The interviewed candidates with the member's sheet, recusal and lock (a handful of queries)."""
    candidates = await interviewed(session, selection)
    ids = [c.id for c in candidates]
    items = await items_by_candidate(session, selection.tenant_id, ids)
    recused = await recusals(session, selection.tenant_id, ids)
    sheets = await sheets_of(session, selection)
    return [
        Line(
            c,
            Standing(
                dict(sheets.get(c.id, {}).get(member.id, {})),
                recused.get(c.id, {}).get(member.id),
                lock_reason(selection, c.application, items.get(c.id, [])),
            ),
        )
        for c in candidates
    ]


async def save_sheet(
    session: AsyncSession,
    selection: Selection,
    candidate: Candidate,
    member: CommissionMember,
    scores: Mapping[str, int],
    *,
    actor: uuid.UUID,
) -> int:
    """Store the member's scores of the candidate (new or changed); returns how many changed.

    Refused (TransitionRefused) after the candidate's item is put to the vote, outside the interview
    stage, for a recused member, or for a score off the rubric. One audit event, clause 6(4), with
    the scores before and after; none when nothing changed.
    """
    rubric = await rubric_of(session, selection)
    if not rubric.codes:
        raise TransitionRefused(_(NO_RUBRIC))
    where = await standing(session, selection, candidate, member)
    if where.recusal is not None:
        raise TransitionRefused(_(RECUSED_TEXT))
    if where.locked is not None:
        raise TransitionRefused(where.locked)
    if set(scores) - set(rubric.codes) or not all(
        rules.valid_score(s, rubric.scale_max) for s in scores.values()
    ):
        raise TransitionRefused(_("Give a score from 1 to %(max)s.", max=rubric.scale_max))
    existing = await session.execute(
        sa.select(InterviewScore).where(
            col(InterviewScore.application_id) == candidate.id,
            col(InterviewScore.member_id) == member.id,
            col(InterviewScore.tenant_id) == selection.tenant_id,
        )
    )
    rows = {row.competency: row for row in existing.scalars()}
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    now = utcnow()
    for code, score in scores.items():
        row = rows.get(code)
        if row is None:
            session.add(
                InterviewScore(
                    tenant_id=selection.tenant_id,
                    selection_id=selection.id,
                    application_id=candidate.id,
                    member_id=member.id,
                    competency=code,
                    score=score,
                )
            )
        elif row.score != score:
            before[code] = row.score
            row.score, row.updated_at = score, now
        else:
            continue
        after[code] = score
    if not after:
        return 0
    try:
        await session.flush()
    except IntegrityError as error:  # the same member's sheet sent twice at the same moment
        raise TransitionRefused(_("Your scores were being saved from another window. Try again.")) from error
    await record(
        session,
        Change(
            "commission.interview_scored",
            "application",
            str(candidate.id),
            str(actor),
            selection.tenant_id,
            clause=CLAUSE,
            before={"member": member.id, "scores": before} if before else None,
            after={"member": member.id, "selection": selection.id, "scores": after},
        ),
    )
    return len(after)


async def declare_conflict(
    session: AsyncSession,
    selection: Selection,
    candidate: Candidate,
    member: CommissionMember,
    *,
    reason: str,
    actor: uuid.UUID,
) -> Recusal:
    """A member declares a conflict of interest on a candidate (rules.md 2.3 item 5; anchors row 31):
    recused from scoring them and from every vote about them (portal.commission.ballots)."""
    reason = reason.strip()
    if not reason:
        raise TransitionRefused(_("Give the reason for the conflict of interest."))
    where = await standing(session, selection, candidate, member)
    if where.recusal is not None:
        raise TransitionRefused(_("You have already declared a conflict of interest on this candidate."))
    if where.locked is not None:
        raise TransitionRefused(where.locked)
    recusal = Recusal(
        tenant_id=selection.tenant_id,
        member_id=member.id,
        selection_id=selection.id,
        application_id=candidate.id,
        reason=reason[:2000],
        recorded_by=actor,
    )
    session.add(recusal)
    try:
        await session.flush()
    except IntegrityError as error:
        raise TransitionRefused(
            _("You have already declared a conflict of interest on this candidate.")
        ) from error
    await record(
        session,
        Change(
            "commission.recusal",
            "application",
            str(candidate.id),
            str(actor),
            selection.tenant_id,
            clause=CLAUSE,
            after={"member": member.id, "selection": selection.id, "reason": recusal.reason},
        ),
    )
    return recusal


# --- calibration and the recommendation ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlier:
    name: str
    score: int


def _by_name(outlier: Outlier) -> tuple[str, int]:
    return outlier.name, outlier.score


@dataclass(frozen=True, slots=True)
class CompetencyRow:
    """One competency of one candidate: the spread of the members' scores and the outliers."""

    competency: Competency
    spread: rules.Spread | None
    outliers: tuple[Outlier, ...]


@dataclass(frozen=True, slots=True)
class Calibration:
    """One candidate in the calibration view (A-12), before the vote."""

    candidate: Candidate
    rows: tuple[CompetencyRow, ...]
    average: Fraction | None
    sheets: int
    complete: int
    recused: tuple[str, ...] = ()
    member_means: tuple[tuple[str, Fraction], ...] = field(default_factory=tuple)

    @property
    def flagged(self) -> int:
        return sum(len(r.outliers) for r in self.rows)


def calibrate(
    candidate: Candidate,
    rubric: Rubric,
    sheets: Mapping[uuid.UUID, Mapping[str, int]],
    names: Mapping[uuid.UUID, str],
    *,
    points: float | Decimal | Fraction | int,
    recused: Sequence[str] = (),
) -> Calibration:
    """Per competency the spread and the outliers; the averaged score over complete sheets (A-12)."""
    rows = []
    for competency in rubric.competencies:
        scores = {m: s[competency.code] for m, s in sheets.items() if competency.code in s}
        flagged = rules.outliers(scores, points=points)
        rows.append(
            CompetencyRow(
                competency,
                rules.spread(scores.values()),
                tuple(sorted((Outlier(names.get(m, ""), scores[m]) for m in flagged), key=_by_name)),
            )
        )
    complete = {m: s for m, s in sheets.items() if rules.complete(s, rubric.codes)}
    means = tuple(
        sorted((names.get(m, ""), rules.member_average(s, rubric.codes)) for m, s in complete.items())
    )
    return Calibration(
        candidate,
        tuple(rows),
        rules.average_score(sheets, rubric.codes),
        sum(1 for s in sheets.values() if s),
        len(complete),
        tuple(recused),
        means,
    )


async def _names(session: AsyncSession, tenant_id: str) -> dict[uuid.UUID, str]:
    return {m.id: m.full_name for m in await composition.history(session, tenant_id)}


async def calibration(
    session: AsyncSession, selection: Selection, *, points: float | Decimal | Fraction | int
) -> tuple[Rubric, list[Calibration]]:
    """The calibration view of the selection: every interviewed candidate, recused members left out."""
    rubric = await rubric_of(session, selection)
    candidates = await interviewed(session, selection)
    ids = [c.id for c in candidates]
    sheets = await sheets_of(session, selection)
    recused = await recusals(session, selection.tenant_id, ids)
    names = await _names(session, selection.tenant_id)
    found = []
    for candidate in candidates:
        out = recused.get(candidate.id, {})
        found.append(
            calibrate(
                candidate,
                rubric,
                counted(sheets.get(candidate.id, {}), out.keys(), rubric),
                names,
                points=points,
                recused=sorted(names.get(m, "") for m in out),
            )
        )
    return rubric, found


@dataclass(frozen=True, slots=True)
class Recommended:
    """A candidate in the recommendation (A-12, stage 5): ranked by the averaged interview score.

    `rank` is the competition rank among the scored candidates (1, 2, 2, 4); None without a score.
    `within_quota`: among the best `selection.quota` (all tied with the last place too, A-08).
    """

    application_id: uuid.UUID
    candidate_name: str
    reference: str
    average: Fraction | None
    sheets: int
    rank: int | None
    within_quota: bool


def _decimal(value: Fraction | None) -> Decimal | None:
    return None if value is None else Decimal(value.numerator) / Decimal(value.denominator)


def rank(calibrated: Sequence[Calibration], quota: int) -> list[Recommended]:
    """The candidates best first by averaged score (portal.rules.ranking, cl. 10 ties kept together,
    A-08); candidates without a complete sheet come last."""
    by_id = {c.candidate.id: c for c in calibrated}
    ranking_ = ranking.advance({k: _decimal(c.average) for k, c in by_id.items()}, max(quota, 0))
    advanced = set(ranking_.advanced)
    return [
        Recommended(
            key,
            by_id[key].candidate.application.candidate_name,
            by_id[key].candidate.application.reference or "",
            by_id[key].average,
            by_id[key].complete,
            ranking_.ranks.get(key),
            key in advanced,
        )
        for key in (*ranking_.advanced, *ranking_.not_advanced)
    ]


async def recommendation(session: AsyncSession, selection: Selection) -> list[Recommended]:
    """The selection's interviewed candidates ranked by their averaged interview score (cl. 6(4), 12;
    rules.md A-12): the mean over the members (recused ones left out) of their mean over the
    competencies, complete sheets only. For the agenda of stage 5 (cl. 6(5))."""
    _rubric, calibrated = await calibration(session, selection, points=rules.DEFAULT_OUTLIER_POINTS)
    return rank(calibrated, selection.quota)


class Subject(Protocol):
    """An agenda item or an item ready for the agenda: what it is about."""

    @property
    def kind(self) -> ItemKind: ...

    @property
    def selection_id(self) -> uuid.UUID | None: ...

    @property
    def application_id(self) -> uuid.UUID | None: ...


async def recommended_for(
    session: AsyncSession, tenant_id: str, subjects: Iterable[Subject]
) -> dict[uuid.UUID, Recommended]:
    """The recommendation (A-12, cl. 6(5)) of each enrolment item's candidate, by application id: for
    the meeting pages, where the secretary chooses the agenda and the commission decides. One
    `recommendation` per selection; another region's selection or one whose scores are not readable
    is left out."""
    selection_ids = {s.selection_id for s in subjects if s.kind == ItemKind.ENROLMENT and s.selection_id}
    if not selection_ids:
        return {}
    selections = await session.execute(
        sa.select(Selection)
        .where(
            col(Selection.id).in_(selection_ids),
            col(Selection.tenant_id) == tenant_id,
            col(Selection.status).in_(READABLE_STATUSES),
        )
        .order_by(col(Selection.reference))
    )
    return {
        r.application_id: r
        for selection in selections.scalars().all()
        for r in await recommendation(session, selection)
    }
