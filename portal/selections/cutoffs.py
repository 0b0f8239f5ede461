"""The cut-off after a stage (cl. 10): simulate who advances, then record the commission's decision.

The ranking is portal.rules.ranking.advance (ties at the cut advance together by default, A-08;
absent candidates rank last, A-13; an optional minimum score, A-40). When the agreed parameters
give the selection's sector directions their own quotas (rules.md A-09), every direction is ranked
and cut on its own (`advance_per_direction`), with one number per direction. The recorded decision
keeps a snapshot of the ranking(s) and its SHA-256; every candidate is told their own score and
rank only (within their direction in per-direction mode).
"""

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus
from portal.applications.services import record_status
from portal.core.audit import Change, record
from portal.i18n import N_, gettext_in, ngettext
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.rules.ranking import Ranking, advance, advance_per_direction
from portal.selections.drafting import TransitionRefused
from portal.selections.models import SectorDirection, Selection, SelectionDirection, SelectionStatus
from portal.selections.results import IN_STAGE, STAGE_STATUS, missing_results, scores
from portal.selections.results_import import ResultStage
from portal.selections.stage_models import CutOff

#: Where a stage's cut leads: the selection's next status and the advancing candidates' status.
NEXT = {
    ResultStage.TESTING: (SelectionStatus.COMPETENCY, ApplicationStatus.IN_COMPETENCY),
    ResultStage.COMPETENCY: (SelectionStatus.VETTING, ApplicationStatus.IN_VETTING),
}
ADVANCED_TEXT = N_("Advanced to the next stage")
NOT_ADVANCED_TEXT = N_("Not advanced to the next stage")
#: The largest number of places a commission can type (a guard against absurd input).
MAX_PLACES = 100_000


@dataclass(frozen=True, slots=True)
class Direction:
    """A sector direction of the selection and its own quota, if the agreed parameters give one (A-09)."""

    code: str
    names: Mapping[str, str]
    quota: int | None

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("kk") or self.code


async def directions_of(session: AsyncSession, selection: Selection) -> tuple[Direction, ...]:
    """The selection's sector directions in the Agency's order, with their quotas (cl. 3)."""
    rows = await session.execute(
        sa.select(SelectionDirection, SectorDirection)
        .join(SectorDirection, col(SectorDirection.code) == col(SelectionDirection.direction_code))
        .where(
            col(SelectionDirection.selection_id) == selection.id,
            col(SelectionDirection.tenant_id) == selection.tenant_id,
        )
        .order_by(col(SectorDirection.position), col(SectorDirection.code))
    )
    return tuple(
        Direction(sector.code, {"kk": sector.name_kk, "ru": sector.name_ru, "en": sector.name_en}, link.quota)
        for link, sector in rows.all()
    )


def per_direction(directions: Sequence[Direction]) -> bool:
    """rules.md A-09: rank and cut per direction when the agreed parameters give directions quotas."""
    return any(d.quota is not None for d in directions)


@dataclass(frozen=True, slots=True)
class Cut:
    """The commission's parameters (cl. 10 para 2): one number overall, or one per direction (A-09).

    `limits` is empty in overall mode; in per-direction mode it has every direction of the selection,
    with None where no number was given (its candidates cannot be ranked).
    """

    advance: int
    min_score: Decimal | None = None
    include_ties: bool = True
    limits: Mapping[str, int | None] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many places the commission set: the number, or the sum of the directions' numbers."""
        if not self.limits:
            return self.advance
        return sum(n for n in self.limits.values() if n is not None)


@dataclass(frozen=True, slots=True)
class DirectionRanking:
    """One direction's ranking and cut (A-09); `ranking` is None when the direction has no number."""

    direction: Direction
    limit: int | None
    ranking: Ranking[uuid.UUID] | None


@dataclass(frozen=True, slots=True)
class Simulation:
    """Who would advance. Overall mode: `ranking`. Per-direction mode (A-09): `directions`, and the
    candidates that cannot be ranked (`unplaced`: application id -> their direction code or None)."""

    cut: Cut
    ranking: Ranking[uuid.UUID] | None
    directions: tuple[DirectionRanking, ...]
    unplaced: Mapping[uuid.UUID, str | None]
    references: dict[uuid.UUID, str]
    scores: dict[uuid.UUID, Decimal | None]
    candidate_directions: Mapping[uuid.UUID, str | None] = field(default_factory=dict)

    @property
    def per_direction(self) -> bool:
        return self.ranking is None

    @property
    def advanced(self) -> frozenset[uuid.UUID]:
        """Everyone who advances: the overall ranking's, or the union of the directions' (A-09)."""
        if self.ranking is not None:
            return frozenset(self.ranking.advanced)
        return frozenset(i for d in self.directions if d.ranking for i in d.ranking.advanced)

    def direction(self, code: str) -> Direction | None:
        return next((d.direction for d in self.directions if d.direction.code == code), None)

    def place_of(self, application_id: uuid.UUID) -> tuple[int | None, Direction | None]:
        """A candidate's own rank: overall, or within their direction (with the direction)."""
        if self.ranking is not None:
            return self.ranking.ranks.get(application_id), None
        code = self.candidate_directions.get(application_id)
        for d in self.directions:
            if d.direction.code == code and d.ranking is not None:
                return d.ranking.ranks.get(application_id), d.direction
        return None, None


def rank(
    stage_scores: dict[uuid.UUID, Decimal | None],
    cut: Cut,
    *,
    directions: Sequence[Direction] = (),
    candidate_directions: Mapping[uuid.UUID, str | None] | None = None,
    references: dict[uuid.UUID, str] | None = None,
) -> Simulation:
    """Rank the stage overall, or per direction when `cut.limits` is given (cl. 10; A-08, A-09, A-13).

    In per-direction mode a candidate without a direction, or whose direction has no number, is
    left out of every ranking and listed in `unplaced` (the cut-off cannot be fixed then). Equal
    scores share a rank and are listed by reference: a display order, never a tie-break.
    """
    references = references or {}
    # A fixed input order (reference, then id): equal scores are listed the same way every time, so
    # the snapshot and its hash do not depend on the order the database returned the rows in.
    ordered = sorted(stage_scores, key=lambda i: (references.get(i, ""), str(i)))
    stage_scores = {i: stage_scores[i] for i in ordered}
    if not cut.limits:
        ranking = advance(stage_scores, cut.advance, include_ties=cut.include_ties, min_score=cut.min_score)
        return Simulation(cut, ranking, (), {}, references, stage_scores)
    of = candidate_directions or {}
    limits = {code: n for code, n in cut.limits.items() if n is not None}
    placed = {i: s for i, s in stage_scores.items() if of.get(i) in limits}
    unplaced = {i: of.get(i) for i in stage_scores if i not in placed}
    rankings = advance_per_direction(
        placed,
        {i: str(of[i]) for i in placed},
        limits,
        include_ties=cut.include_ties,
        min_score=cut.min_score,
    )
    per = tuple(DirectionRanking(d, cut.limits.get(d.code), rankings.get(d.code)) for d in directions)
    return Simulation(cut, None, per, unplaced, references, stage_scores, of)


async def simulate(
    session: AsyncSession,
    selection: Selection,
    stage: ResultStage,
    cut: Cut,
    directions: Sequence[Direction] = (),
) -> Simulation:
    """Who would advance with these numbers (cl. 10 para 1-3; A-09); nothing is stored."""
    stage_scores = await scores(session, selection, stage)
    rows = await session.execute(
        sa.select(col(Application.id), col(Application.reference), col(Application.direction_code)).where(
            col(Application.id).in_(stage_scores), col(Application.tenant_id) == selection.tenant_id
        )
    )
    found = rows.all()
    return rank(
        stage_scores,
        cut,
        directions=directions,
        candidate_directions={i: code for i, _, code in found},
        references={i: ref or "" for i, ref, _ in found},
    )


def _ranking_data(r: Ranking[uuid.UUID]) -> dict[str, object]:
    return {
        "advanced": [str(i) for i in r.advanced],
        "not_advanced": [str(i) for i in r.not_advanced],
        "tied_at_cut": [str(i) for i in r.tied_at_cut],
        "cut_score": None if r.cut_score is None else str(r.cut_score),
        "ranks": {str(k): v for k, v in r.ranks.items()},
    }


def snapshot(simulation: Simulation) -> tuple[dict[str, object], str]:
    """The ranking(s) the commission saw, and the SHA-256 of their canonical JSON (cl. 10 para 2).

    Per-direction mode (A-09) keeps every direction's number and ranking under "directions".
    """
    data: dict[str, object]
    if simulation.ranking is not None:
        data = _ranking_data(simulation.ranking)
    else:
        data = {
            "directions": {
                d.direction.code: {"limit": d.limit, **(_ranking_data(d.ranking) if d.ranking else {})}
                for d in simulation.directions
            },
            "advance_total": simulation.cut.total,
        }
    data["scores"] = {str(k): None if v is None else str(v) for k, v in simulation.scores.items()}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return data, hashlib.sha256(canonical).hexdigest()


def check_ranked(simulation: Simulation) -> None:
    """A-09: in per-direction mode every candidate needs a direction with a number before the cut."""
    if simulation.unplaced:
        raise TransitionRefused(
            ngettext(
                "%(num)s candidate has no sector direction or no number to advance in their direction: "
                "every candidate is ranked within their own direction (clause 10).",
                "%(num)s candidates have no sector direction or no number to advance in their direction: "
                "every candidate is ranked within their own direction (clause 10).",
                len(simulation.unplaced),
            )
        )


@dataclass(frozen=True, slots=True)
class Mail:
    """What each candidate's e-mail needs besides their own result."""

    region: str
    selection_title: str
    base_url: str
    emails: dict[uuid.UUID, str]


async def fix(
    session: AsyncSession,
    selection: Selection,
    stage: ResultStage,
    simulation: Simulation,
    *,
    protocol: str,
    actor: uuid.UUID,
    mail: Mail,
    now: datetime,
) -> CutOff:
    """Record the commission's cut-off (cl. 10), move everyone on, and tell each candidate.

    Per-direction mode (A-09): the union of every direction's advancing candidates moves on, and
    `advance_count` keeps the total of the directions' numbers.
    """
    if selection.status != STAGE_STATUS[stage]:
        raise TransitionRefused(_("The selection is not at this stage."))
    if not protocol.strip():
        raise TransitionRefused(_("Give the number and date of the commission's minutes."))
    check_ranked(simulation)
    if not simulation.scores or await missing_results(session, selection, stage):
        raise TransitionRefused(_("Import the results of every candidate first."))
    data, digest = snapshot(simulation)
    cut = CutOff(
        tenant_id=selection.tenant_id,
        selection_id=selection.id,
        stage=stage,
        advance_count=simulation.cut.total,
        min_score=simulation.cut.min_score,
        include_ties=simulation.cut.include_ties,
        protocol=protocol.strip(),
        snapshot=data,
        snapshot_sha256=digest,
        decided_by=actor,
    )
    session.add(cut)
    next_selection, next_candidate = NEXT[stage]
    selection.status = next_selection
    advanced = simulation.advanced
    applications = (
        await session.execute(
            sa.select(Application).where(
                col(Application.id).in_(simulation.scores), col(Application.tenant_id) == selection.tenant_id
            )
        )
    ).scalars()
    for application in applications:
        passed = application.id in advanced
        application.status = next_candidate if passed else ApplicationStatus.NOT_ADVANCED
        await session.flush()
        await record_status(session, application, str(actor), clause="10", reason=protocol.strip())
        if application.user_id is None and application.candidate_iin:
            continue  # a paper candidate who never signed in: told by the territorial unit
        await _tell(session, application, simulation, passed=passed, mail=mail, now=now, stage=stage)
    after: dict[str, object] = {
        "stage": stage,
        "advanced": len(advanced),
        "sha256": digest,
        "protocol": protocol.strip(),
    }
    if simulation.per_direction:
        after["directions"] = {
            d.direction.code: {"limit": d.limit, "advanced": len(d.ranking.advanced) if d.ranking else 0}
            for d in simulation.directions
        }
    await record(
        session,
        Change(
            "selection.cut_off",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="10",
            after=after,
        ),
    )
    return cut


async def _tell(
    session: AsyncSession,
    application: Application,
    simulation: Simulation,
    *,
    passed: bool,
    mail: Mail,
    now: datetime,
    stage: ResultStage,
) -> None:
    """Each candidate learns their own result and place, never anyone else's (rules.md A-27);
    in per-direction mode (A-09) the place is within their own direction."""
    score = simulation.scores.get(application.id)
    rank, direction = simulation.place_of(application.id)
    shown = {"score": score if score is not None else "—", "rank": rank or "—"}
    own = (
        gettext_in(
            application.language,
            N_("Your result: %(score)s, place %(rank)s in the sector direction %(direction)s."),
            direction=direction.name(application.language),
            **shown,
        )
        if direction is not None
        else gettext_in(application.language, N_("Your result: %(score)s, place %(rank)s."), **shown)
    )
    await enqueue(
        session,
        template="application_decision",
        language=application.language,
        context={
            "reference": application.reference or "",
            "selection_title": mail.selection_title,
            "region": mail.region,
            "tracker_url": f"{mail.base_url.rstrip('/')}/me/applications/{application.id}",
            "decision": ADVANCED_TEXT if passed else NOT_ADVANCED_TEXT,
            "clause": "10",
            "reason": own,
            "decided_at": now.isoformat(),
        },
        recipient=mail.emails.get(application.user_id) if application.user_id else None,
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=f"cutoff:{stage}:{application.id}",
    )


__all__ = [
    "IN_STAGE",
    "MAX_PLACES",
    "Cut",
    "Direction",
    "DirectionRanking",
    "Mail",
    "Simulation",
    "check_ranked",
    "directions_of",
    "fix",
    "per_direction",
    "rank",
    "simulate",
    "snapshot",
]
