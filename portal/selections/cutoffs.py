"""The cut-off after a stage (cl. 10): simulate who advances, then record the commission's decision.

The ranking is portal.rules.ranking.advance (ties at the cut advance together by default, A-08;
absent candidates rank last, A-13; an optional minimum score, A-40). The recorded decision keeps
a snapshot of the ranking and its SHA-256; every candidate is told their own score and rank only.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus
from portal.applications.services import record_status
from portal.core.audit import Change, record
from portal.i18n import N_, gettext_in
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.rules.ranking import Ranking, advance
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionStatus
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


@dataclass(frozen=True, slots=True)
class Simulation:
    ranking: Ranking[uuid.UUID]
    references: dict[uuid.UUID, str]
    scores: dict[uuid.UUID, Decimal | None]


async def simulate(
    session: AsyncSession,
    selection: Selection,
    stage: ResultStage,
    *,
    advance_count: int,
    min_score: Decimal | None,
    include_ties: bool,
) -> Simulation:
    """Who would advance with this number (cl. 10 para 1-3); nothing is stored."""
    stage_scores = await scores(session, selection, stage)
    rows = await session.execute(
        sa.select(col(Application.id), col(Application.reference)).where(
            col(Application.id).in_(stage_scores)
        )
    )
    ranking = advance(stage_scores, advance_count, include_ties=include_ties, min_score=min_score)
    return Simulation(ranking, {i: ref or "" for i, ref in rows.all()}, stage_scores)


def snapshot(simulation: Simulation) -> tuple[dict[str, object], str]:
    r = simulation.ranking
    data: dict[str, object] = {
        "advanced": [str(i) for i in r.advanced],
        "not_advanced": [str(i) for i in r.not_advanced],
        "tied_at_cut": [str(i) for i in r.tied_at_cut],
        "cut_score": None if r.cut_score is None else str(r.cut_score),
        "ranks": {str(k): v for k, v in r.ranks.items()},
        "scores": {str(k): None if v is None else str(v) for k, v in simulation.scores.items()},
    }
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return data, hashlib.sha256(canonical).hexdigest()


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
    """Record the commission's cut-off (cl. 10), move everyone on, and tell each candidate."""
    if selection.status != STAGE_STATUS[stage]:
        raise TransitionRefused(_("The selection is not at this stage."))
    if not protocol.strip():
        raise TransitionRefused(_("Give the number and date of the commission's minutes."))
    if not simulation.scores or await missing_results(session, selection, stage):
        raise TransitionRefused(_("Import the results of every candidate first."))
    data, digest = snapshot(simulation)
    ranking = simulation.ranking
    cut = CutOff(
        tenant_id=selection.tenant_id,
        selection_id=selection.id,
        stage=stage,
        advance_count=ranking.limit,
        min_score=ranking.min_score,
        include_ties=ranking.include_ties,
        protocol=protocol.strip(),
        snapshot=data,
        snapshot_sha256=digest,
        decided_by=actor,
    )
    session.add(cut)
    next_selection, next_candidate = NEXT[stage]
    selection.status = next_selection
    advanced = set(ranking.advanced)
    applications = (
        await session.execute(sa.select(Application).where(col(Application.id).in_(simulation.scores)))
    ).scalars()
    for application in applications:
        passed = application.id in advanced
        application.status = next_candidate if passed else ApplicationStatus.NOT_ADVANCED
        await session.flush()
        await record_status(session, application, str(actor), clause="10", reason=protocol.strip())
        if application.user_id is None and application.candidate_iin:
            continue  # a paper candidate who never signed in: told by the territorial unit
        await _tell(session, application, simulation, passed=passed, mail=mail, now=now, stage=stage)
    await record(
        session,
        Change(
            "selection.cut_off",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="10",
            after={"stage": stage, "advanced": len(advanced), "sha256": digest, "protocol": protocol.strip()},
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
    """Each candidate learns their own result and place, never anyone else's (rules.md A-27)."""
    score = simulation.scores.get(application.id)
    rank = simulation.ranking.ranks.get(application.id)
    own = gettext_in(
        application.language,
        N_("Your result: %(score)s, place %(rank)s."),
        score=score if score is not None else "—",
        rank=rank or "—",
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


__all__ = ["IN_STAGE", "Mail", "Simulation", "fix", "simulate", "snapshot"]
