"""/{region}/commission/scoring: the members score the structured interview (SCORE_INTERVIEW; cl. 6(4),
12; rules.md A-12), and /{region}/commission/calibration: the secretary reads the calibration view
(RUN_MEETING) before the vote.

A member of the composition in force today (chair, deputy chair, members) sees the selections at
the interview stage, the candidates who attended (A-13), and scores each competency on a phone
without JavaScript: one radio group per competency, one button. They may declare a conflict of
interest on a candidate instead (recused from the score and the vote). The calibration view shows
the spread between the members and the outliers; a member sees a candidate's calibration once
they have scored the candidate themselves (no anchoring on the others' scores).
"""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.commission import scoring
from portal.commission.models import CommissionMember
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import VARY_HEADERS, wants_partial
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection
from portal.tenancy.registry import TenantConfig

SCORE = requires(Permission.SCORE_INTERVIEW)
RUN = requires(Permission.RUN_MEETING)
BASE = "/commission/scoring"
SELECTION = f"{BASE}/{{selection_id:uuid}}"
SHEET = f"{SELECTION}/candidates/{{application_id:uuid}}"
CALIBRATION = "/commission/calibration"


def _render(
    request: Request[Any, Any, Any],
    page: str,
    partial: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Template:
    """The page, or its fragment for an htmx request (validation errors too: htmx swaps a 422)."""
    return Template(
        partial if wants_partial(request) else page,
        context=context,
        status_code=status_code,
        headers={**VARY_HEADERS, **NO_STORE},
    )


def _selection_url(tenant: TenantConfig, selection_id: uuid.UUID) -> str:
    return f"/{tenant.slug}{BASE}/{selection_id}"


def _sheet_url(tenant: TenantConfig, selection_id: uuid.UUID, application_id: uuid.UUID) -> str:
    return f"{_selection_url(tenant, selection_id)}/candidates/{application_id}"


async def _member(
    request: Request[Any, Any, Any], db_session: AsyncSession, tenant: TenantConfig, clock: Clock
) -> CommissionMember | None:
    return await scoring.scorer(db_session, tenant.code, signed_in(request).iin, clock.today())


async def _scoring(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    selection_id: uuid.UUID,
) -> tuple[Selection, CommissionMember]:
    """The selection, if its scores can be read and the signed-in person scores today; else 404."""
    selection = await scoring.readable_selection(db_session, tenant.code, selection_id)
    member = await _member(request, db_session, tenant, clock)
    if selection is None or member is None:
        raise NotFoundException()
    return selection, member


async def _candidate(
    db_session: AsyncSession, selection: Selection, application_id: uuid.UUID
) -> scoring.Candidate:
    found = await scoring.interviewed(db_session, selection, application_id)
    if not found:
        raise NotFoundException()
    return found[0]


@get(BASE, name="commission:scoring", opt=SCORE)
async def scoring_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    """The region's selections whose interview the member scores (or scored)."""
    member = await _member(request, db_session, tenant, clock)
    selections = await scoring.readable_selections(db_session, tenant.code) if member else []
    return Template(
        "commission/scoring.html",
        context={"tenant": tenant, "member": member, "selections": selections},
        headers=NO_STORE,
    )


@get(SELECTION, name="commission:scoring-selection", opt=SCORE)
async def selection_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    """The candidates who attended the interview, with the member's own sheet on each."""
    selection, member = await _scoring(request, db_session, tenant, clock, selection_id)
    context = {
        "tenant": tenant,
        "s": selection,
        "member": member,
        "rubric": await scoring.rubric_of(db_session, selection),
        "lines": await scoring.overview(db_session, selection, member),
    }
    return _render(request, "commission/scoring_selection.html", "commission/_scoring_lines.html", context)


async def _sheet_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    selection: Selection,
    member: CommissionMember,
    candidate: scoring.Candidate,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    where = await scoring.standing(db_session, selection, candidate, member)
    context = {
        "tenant": tenant,
        "s": selection,
        "member": member,
        "c": candidate,
        "rubric": await scoring.rubric_of(db_session, selection),
        "where": where,
        "form": form or scoring.sheet_form(where.sheet),
        "language": get_language(),
        "prefix": scoring.FIELD_PREFIX,
    }
    return _render(
        request, "commission/scoring_sheet.html", "commission/_scoring_sheet.html", context, status_code
    )


@get(SHEET, name="commission:score-sheet", opt=SCORE)
async def sheet_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
) -> Template:
    """The member's scoring sheet of one candidate: one 1..scale_max choice per competency."""
    selection, member = await _scoring(request, db_session, tenant, clock, selection_id)
    candidate = await _candidate(db_session, selection, application_id)
    return await _sheet_page(request, db_session, tenant, selection, member, candidate)


@post(SHEET, name="commission:score-save", opt=SCORE, status_code=303, media_type=MediaType.HTML)
async def save_scores(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """Save the sheet (new or changed scores); a missing or invalid score re-renders it (422)."""
    selection, member = await _scoring(request, db_session, tenant, clock, selection_id)
    candidate = await _candidate(db_session, selection, application_id)
    rubric = await scoring.rubric_of(db_session, selection)
    form, scores = scoring.read_sheet(await request.form(), rubric)
    if scores is None:
        return await _sheet_page(
            request,
            db_session,
            tenant,
            selection,
            member,
            candidate,
            form=form,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    try:
        changed = await scoring.save_sheet(
            db_session, selection, candidate, member, scores, actor=signed_in(request).user_id
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _sheet_url(tenant, selection_id, application_id))
    await db_session.commit()
    flash(
        request,
        _("Your scores of %(name)s have been saved.", name=candidate.application.candidate_name)
        if changed
        else _("Your scores of %(name)s are unchanged.", name=candidate.application.candidate_name),
    )
    return go_to(request, f"{_selection_url(tenant, selection_id)}#c-{application_id}")


@post(
    f"{SHEET}/recuse", name="commission:score-recuse", opt=SCORE, status_code=303, media_type=MediaType.HTML
)
async def recuse(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """A declared conflict of interest: the member neither scores nor votes on the candidate."""
    selection, member = await _scoring(request, db_session, tenant, clock, selection_id)
    candidate = await _candidate(db_session, selection, application_id)
    reason = str((await request.form()).get("reason", ""))
    try:
        await scoring.declare_conflict(
            db_session, selection, candidate, member, reason=reason, actor=signed_in(request).user_id
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _sheet_url(tenant, selection_id, application_id))
    await db_session.commit()
    flash(
        request,
        _("Your conflict of interest has been recorded: you neither score nor vote on this candidate."),
    )
    return go_to(request, _selection_url(tenant, selection_id))


async def _calibration_context(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    selection: Selection,
    member: CommissionMember | None,
) -> dict[str, Any]:
    points = request.app.state.settings.interview_outlier_points
    rubric, candidates = await scoring.calibration(db_session, selection, points=points)
    # A member sees the others' scores of a candidate once their own sheet is in (or they stepped
    # aside): the calibration must not anchor a score not yet given.
    shown = {c.candidate.id for c in candidates}
    if member is not None:
        shown = {
            line.candidate.id
            for line in await scoring.overview(db_session, selection, member)
            if line.standing.complete(rubric) or line.standing.recusal is not None
        }
    return {
        "tenant": tenant,
        "s": selection,
        "member": member,
        "rubric": rubric,
        "candidates": candidates,
        "shown": shown,
        "points": points,
        "ranked": scoring.rank(candidates, selection.quota),
        "language": get_language(),
    }


@get(f"{SELECTION}/calibration", name="commission:calibration", opt=SCORE)
async def calibration_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    """The members' calibration view: spread, outliers and averaged scores (A-12)."""
    selection, member = await _scoring(request, db_session, tenant, clock, selection_id)
    context = await _calibration_context(request, db_session, tenant, selection, member)
    return _render(
        request, "commission/scoring_calibration.html", "commission/_scoring_calibration.html", context
    )


@get(CALIBRATION, name="commission:calibrations", opt=RUN)
async def calibrations_page(
    db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantConfig]
) -> Template:
    """The secretary's list of the selections whose interview is scored."""
    return Template(
        "commission/scoring_calibrations.html",
        context={"tenant": tenant, "selections": await scoring.readable_selections(db_session, tenant.code)},
        headers=NO_STORE,
    )


@get(f"{CALIBRATION}/{{selection_id:uuid}}", name="commission:calibration-run", opt=RUN)
async def secretary_calibration_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    """The secretary's calibration view (RUN_MEETING): every candidate, before the vote."""
    selection = await scoring.readable_selection(db_session, tenant.code, selection_id)
    if selection is None:
        raise NotFoundException()
    context = await _calibration_context(request, db_session, tenant, selection, None)
    return _render(
        request, "commission/scoring_calibration.html", "commission/_scoring_calibration.html", context
    )


SCORING_ROUTES = [
    scoring_page,
    selection_page,
    sheet_page,
    save_scores,
    recuse,
    calibration_page,
    calibrations_page,
    secretary_calibration_page,
]
