"""The reviewers' queues of appointment proposals (cl. 15-17; rules.md 2.2, 2.3, A-19, A-34).

- /{region}/appointments/review: the territorial unit of the post's region, cl. 16 proposals of
  the region's posts (DECIDE_CL16_PROPOSAL);
- /agency/proposals: the Agency, cl. 15 and cl. 17 proposals of every region
  (DECIDE_CL15_CL17_PROPOSAL).
A proposal is in exactly one queue, the one its routing named (portal.rules.routing); anything else
answers 404. The reviewer accepts (cl. 17: consents) or returns it with reasons.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Stream, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.appointments import policies, proposals
from portal.appointments.models import PROPOSAL_STATUS_LABELS, ROUTE_LABELS
from portal.appointments.views import FILE_KINDS, mail_for, proposal_file
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import gettext as _
from portal.rules.routing import Addressee
from portal.tenancy.registry import TenantConfig

TU = requires(Permission.DECIDE_CL16_PROPOSAL)
AGENCY = requires(Permission.DECIDE_CL15_CL17_PROPOSAL)
TU_BASE = "/appointments/review"
HOME_BASE = f"{TU_BASE}/other-regions"
AGENCY_BASE = "/agency/proposals"


@dataclass(frozen=True, slots=True)
class Desk:
    """One reviewer's desk: whose queue, where it lives, its route names."""

    addressee: Addressee
    tenant: TenantConfig | None
    base: str
    names: dict[str, str]
    #: R-17: the member's home territorial unit reads other regions' cl. 17 proposals, no more.
    read_only: bool = False

    @property
    def tenant_id(self) -> str | None:
        return self.tenant.code if self.tenant is not None else None

    def url(self, proposal_id: uuid.UUID | None = None) -> str:
        return f"{self.base}/{proposal_id}" if proposal_id else self.base

    @property
    def params(self) -> dict[str, str]:
        return {"tenant_slug": self.tenant.slug} if self.tenant is not None else {}


def _tu(tenant: TenantConfig) -> Desk:
    names = {
        "queue": "review:queue",
        "proposal": "review:proposal",
        "decide": "review:decide",
        "file": "review:file",
    }
    return Desk(Addressee.TERRITORIAL_UNIT, tenant, f"/{tenant.slug}{TU_BASE}", names)


def _home(tenant: TenantConfig) -> Desk:
    names = {"queue": "review:home-queue", "proposal": "review:home-proposal"}
    return Desk(Addressee.TERRITORIAL_UNIT, tenant, f"/{tenant.slug}{HOME_BASE}", names, read_only=True)


AGENCY_DESK = Desk(
    Addressee.AGENCY,
    None,
    AGENCY_BASE,
    {
        "queue": "agency:proposals",
        "proposal": "agency:proposal",
        "decide": "agency:proposal-decide",
        "file": "agency:proposal-file",
    },
)


def _queue_page(request: Request[Any, Any, Any], desk: Desk, rows: list[proposals.Row]) -> Template:
    return Template(
        "appointments/queue.html",
        context={
            "desk": desk,
            "tenant": desk.tenant,
            "rows": rows,
            "status_labels": PROPOSAL_STATUS_LABELS,
            "registry": request.app.state.registry,
        },
        headers=NO_STORE,
    )


async def _row(db_session: AsyncSession, desk: Desk, proposal_id: uuid.UUID) -> proposals.Row:
    row = await proposals.queued_proposal(db_session, proposal_id, desk.addressee, desk.tenant_id)
    if row is None:
        raise NotFoundException()
    return row


def _proposal_page(
    request: Request[Any, Any, Any],
    desk: Desk,
    row: proposals.Row,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "appointments/review.html",
        context={
            "desk": desk,
            "tenant": desk.tenant,
            "row": row,
            "p": row.proposal,
            "route_labels": ROUTE_LABELS,
            "form": form or Form(),
            "status_labels": PROPOSAL_STATUS_LABELS,
            "registry": request.app.state.registry,
            "may_decide": not desk.read_only and row.proposal.status in policies.MAY_DECIDE,
            "file_route": desk.names.get("file"),  # none on a read-only desk: the summary, not the files
            "file_params": desk.params,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


async def _decide(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    clock: Clock,
    desk: Desk,
    proposal_id: uuid.UUID,
) -> Response[Any] | Template:
    row = await _row(db_session, desk, proposal_id)
    form = Form.of(await request.form(), ["decision", "reason"])
    decision = form.choice("decision", ["accept", "return"])
    reason = form.text("reason", required=decision == "return", max_length=4000)
    if form.valid:
        try:
            await proposals.decide(
                db_session,
                row,
                addressee=desk.addressee,
                accept=decision == "accept",
                reason=reason,
                actor=signed_in(request).user_id,
                now=clock.now(),
                mail=mail_for(request),
            )
        except proposals.ProposalRefused as refused:
            form.error(refused.field or "decision", refused.message)
    if not form.valid:
        await db_session.rollback()
        row = await _row(db_session, desk, proposal_id)
        return _proposal_page(request, desk, row, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    await db_session.commit()
    flash(
        request,
        _("The proposal has been accepted.")
        if decision == "accept"
        else _("The proposal has been returned."),
    )
    return go_to(request, desk.url(proposal_id))


# --- the territorial unit (cl. 16) ------------------------------------------------------------------


@get(TU_BASE, name="review:queue", opt=TU)
async def tu_queue(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
) -> Template:
    """The cl. 16 proposals for the region's posts: waiting first, then the decided ones."""
    desk = _tu(tenant)
    return _queue_page(request, desk, await proposals.queue(db_session, desk.addressee, tenant.code))


@get(f"{TU_BASE}/{{proposal_id:uuid}}", name="review:proposal", opt=TU)
async def tu_proposal(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    proposal_id: FromPath[uuid.UUID],
) -> Template:
    desk = _tu(tenant)
    return _proposal_page(request, desk, await _row(db_session, desk, proposal_id))


@post(
    f"{TU_BASE}/{{proposal_id:uuid}}/decide",
    name="review:decide",
    opt=TU,
    status_code=303,
    media_type=MediaType.HTML,
)
async def tu_decide(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """The territorial unit accepts or returns a cl. 16 proposal (A-19)."""
    return await _decide(request, db_session, clock, _tu(tenant), proposal_id)


@get(f"{TU_BASE}/{{proposal_id:uuid}}/files/{{kind:str}}", name="review:file", opt=TU)
async def tu_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    proposal_id: FromPath[uuid.UUID],
    kind: FromPath[str],
) -> Stream:
    if kind not in FILE_KINDS:
        raise NotFoundException()
    return proposal_file(request, (await _row(db_session, _tu(tenant), proposal_id)).proposal, kind)


# --- the member's home territorial unit (R-17: read-only) ------------------------------------------


@get(HOME_BASE, name="review:home-queue", opt=TU)
async def home_queue(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
) -> Template:
    """Other regions' cl. 17 proposals for members of this region's reserve, to read (R-17)."""
    return _queue_page(request, _home(tenant), await proposals.home_region_proposals(db_session, tenant.code))


@get(f"{HOME_BASE}/{{proposal_id:uuid}}", name="review:home-proposal", opt=TU)
async def home_proposal(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    proposal_id: FromPath[uuid.UUID],
) -> Template:
    row = await proposals.home_region_proposal(db_session, tenant.code, proposal_id)
    if row is None:
        raise NotFoundException()
    return _proposal_page(request, _home(tenant), row)


# --- the Agency (cl. 15, 17) ------------------------------------------------------------------------


@get(AGENCY_BASE, name="agency:proposals", opt=AGENCY)
async def agency_queue(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    """The cl. 15 and cl. 17 proposals of every region: waiting first, then the decided ones."""
    return _queue_page(request, AGENCY_DESK, await proposals.queue(db_session, Addressee.AGENCY))


@get(f"{AGENCY_BASE}/{{proposal_id:uuid}}", name="agency:proposal", opt=AGENCY)
async def agency_proposal(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    proposal_id: FromPath[uuid.UUID],
) -> Template:
    return _proposal_page(request, AGENCY_DESK, await _row(db_session, AGENCY_DESK, proposal_id))


@post(
    f"{AGENCY_BASE}/{{proposal_id:uuid}}/decide",
    name="agency:proposal-decide",
    opt=AGENCY,
    status_code=303,
    media_type=MediaType.HTML,
)
async def agency_decide(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """The Agency accepts a cl. 15 proposal or consents to a cl. 17 appointment, or returns it (A-19)."""
    return await _decide(request, db_session, clock, AGENCY_DESK, proposal_id)


@get(f"{AGENCY_BASE}/{{proposal_id:uuid}}/files/{{kind:str}}", name="agency:proposal-file", opt=AGENCY)
async def agency_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    proposal_id: FromPath[uuid.UUID],
    kind: FromPath[str],
) -> Stream:
    if kind not in FILE_KINDS:
        raise NotFoundException()
    return proposal_file(request, (await _row(db_session, AGENCY_DESK, proposal_id)).proposal, kind)


REVIEW_ROUTES = [tu_queue, tu_proposal, tu_decide, tu_file, home_queue, home_proposal]
AGENCY_REVIEW_ROUTES = [agency_queue, agency_proposal, agency_decide, agency_file]

__all__ = ["AGENCY_REVIEW_ROUTES", "REVIEW_ROUTES"]
