"""/{region}/appointments/proposals: the appointing official's proposals (cl. 15-17; rules.md 3.5).

The official (SUBMIT_PROPOSAL in the post's region) picks a vacant post and a member, attaches the
service record once the member has confirmed, files the proposal (routed by portal.rules.routing),
and uploads the appointment act once it is accepted. Handlers parse, call one service, render.
"""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications import uploads
from portal.applications.controllers import UPLOAD_BODY_CEILING
from portal.applications.documents import DocumentRejected
from portal.appointments import policies, proposals
from portal.appointments.forms import read_act, read_uuid
from portal.appointments.models import PROPOSAL_STATUS_LABELS, ROUTE_LABELS
from portal.appointments.views import FILE_KINDS, mail_for, proposal_file, selections_calendar
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import page_or_partial
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.rules.routing import Addressee
from portal.tenancy.registry import TenantConfig

PROPOSE = requires(Permission.SUBMIT_PROPOSAL)
BASE = "/appointments/proposals"
ONE = f"{BASE}/{{proposal_id:uuid}}"


def _url(tenant: TenantConfig, proposal_id: uuid.UUID | None = None) -> str:
    return f"/{tenant.slug}{BASE}/{proposal_id}" if proposal_id else f"/{tenant.slug}{BASE}"


async def _row(db_session: AsyncSession, tenant: TenantConfig, proposal_id: uuid.UUID) -> proposals.Row:
    row = await proposals.region_proposal(db_session, tenant.code, proposal_id)
    if row is None:
        raise NotFoundException()
    return row


@get(BASE, name="proposals:list", opt=PROPOSE)
async def proposals_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
) -> Template:
    """The proposals for the region's posts, newest first."""
    return Template(
        "appointments/proposals.html",
        context={
            "tenant": tenant,
            "rows": await proposals.region_proposals(db_session, tenant.code),
            "status_labels": PROPOSAL_STATUS_LABELS,
            "registry": request.app.state.registry,
        },
        headers=NO_STORE,
    )


async def _new_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    *,
    form: Form,
    status_code: int = 200,
) -> Template:
    query = form.get("q")
    context = {
        "tenant": tenant,
        "form": form,
        "posts": await proposals.offerable_posts(db_session, tenant.code),
        "members": await proposals.proposable_members(
            db_session, tenant.code, today=clock.today(), query=query
        ),
        "limit": proposals.MEMBER_LIMIT,
        "registry": request.app.state.registry,
    }
    return page_or_partial(
        request,
        "appointments/proposal_new.html",
        "appointments/_members.html",
        context,
        status_code=status_code,
    )


@get(f"{BASE}/new", name="proposals:new", opt=PROPOSE)
async def new_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    q: FromQuery[str] = "",
    position_id: FromQuery[str] = "",
) -> Template:
    """Choose a vacant post and a member (own region, or another region's with consent, cl. 17).

    The member list is filtered by name on the server; htmx swaps only the list.
    """
    form = Form({"q": q.strip()[:100], "position_id": position_id[:40]})
    response = await _new_page(request, db_session, tenant, clock, form=form)
    response.headers.update(NO_STORE)
    return response


@post(BASE, name="proposals:create", opt=PROPOSE, status_code=303, media_type=MediaType.HTML)
async def create(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    form = Form.of(await request.form(), ["position_id", "membership_id", "q"])
    position_id, membership_id = read_uuid(form, "position_id"), read_uuid(form, "membership_id")
    proposal = None
    if position_id is not None and membership_id is not None:
        try:
            proposal = await proposals.create_proposal(
                db_session,
                tenant.code,
                position_id=position_id,
                membership_id=membership_id,
                actor=signed_in(request).user_id,
                language=get_language(),
                today=clock.today(),
                now=clock.now(),
                mail=mail_for(request),
            )
        except proposals.ProposalRefused as refused:
            form.error(refused.field or "membership_id", refused.message)
    if proposal is None:
        await db_session.rollback()
        return await _new_page(
            request, db_session, tenant, clock, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("The proposal has been prepared: the member is asked to confirm their application."))
    return go_to(request, _url(tenant, proposal.id))


async def _detail_page(
    request: Request[Any, Any, Any],
    row: proposals.Row,
    tenant: TenantConfig,
    clock: Clock,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    p = row.proposal
    return Template(
        "appointments/proposal.html",
        context={
            "tenant": tenant,
            "row": row,
            "p": p,
            "form": form or Form({"act_date": clock.today().isoformat()}),
            "status_labels": PROPOSAL_STATUS_LABELS,
            "registry": request.app.state.registry,
            "agency": Addressee.AGENCY,
            "route_labels": ROUTE_LABELS,
            "may_attach": p.status in policies.MAY_ATTACH_SERVICE_RECORD,
            "may_submit": policies.may_submit(
                p.status,
                member_confirmed=p.member_confirmed_at is not None,
                has_service_record=p.service_record_key is not None,
            ),
            "may_submit_state": p.status in policies.MAY_SUBMIT,
            "may_ask": policies.may_ask_again(p.status, member_declined=p.member_declined_at is not None),
            "may_withdraw": p.status in policies.MAY_WITHDRAW,
            "may_act": p.status in policies.MAY_RECORD_ACT,
            "file_route": "proposals:file",
            "file_params": {"tenant_slug": tenant.slug},
            "max_mb": request.app.state.settings.max_document_mb,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(ONE, name="proposals:detail", opt=PROPOSE)
async def detail(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Template:
    return await _detail_page(request, await _row(db_session, tenant, proposal_id), tenant, clock)


async def _received(
    request: Request[Any, Any, Any], data: Any, form: Form, name: str
) -> uploads.Received | None:
    upload = data.get(name)
    settings = request.app.state.settings
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.error(name, _("Choose a file."))
        return None
    try:
        return await uploads.receive(upload, settings.max_document_bytes, settings.upload_dir)
    except DocumentRejected as rejected:
        form.error(name, _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
        return None


def _upload(request: Request[Any, Any, Any], received: uploads.Received) -> proposals.Upload:
    settings = request.app.state.settings
    return proposals.Upload(received, request.app.state.storage, settings.max_document_bytes)


async def _refused_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    proposal_id: uuid.UUID,
    form: Form,
) -> Template:
    await db_session.rollback()
    row = await _row(db_session, tenant, proposal_id)
    return await _detail_page(
        request, row, tenant, clock, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
    )


@post(
    f"{ONE}/service-record",
    name="proposals:service-record",
    opt=PROPOSE,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=UPLOAD_BODY_CEILING,
)
async def attach_service_record(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """The member's service record (cl. 15-16: қызметтік тізім), a PDF or a scan."""
    row = await _row(db_session, tenant, proposal_id)
    form = Form()
    received = await _received(request, await request.form(), form, "service_record")
    replaced = None
    if received is not None:
        try:
            replaced = await proposals.attach_service_record(
                db_session, row, _upload(request, received), actor=signed_in(request).user_id, now=clock.now()
            )
        except proposals.ProposalRefused as refused:
            form.error("service_record", refused.message)
        except DocumentRejected as rejected:
            settings = request.app.state.settings
            form.error(
                "service_record", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb)
            )
    if not form.valid:
        return await _refused_page(request, db_session, tenant, clock, proposal_id, form)
    await db_session.commit()
    if replaced:
        await request.app.state.storage.delete(replaced)
    flash(request, _("The service record has been attached."))
    return go_to(request, _url(tenant, proposal_id))


async def _step(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    proposal_id: uuid.UUID,
    step: Any,
    done: str,
) -> Response[Any]:
    """Run one state change on the proposal; a refusal is flashed on the proposal's page."""
    row = await _row(db_session, tenant, proposal_id)
    try:
        await step(row)
    except proposals.ProposalRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _url(tenant, proposal_id))
    await db_session.commit()
    flash(request, done)
    return go_to(request, _url(tenant, proposal_id))


@post(f"{ONE}/submit", name="proposals:submit", opt=PROPOSE, status_code=303, media_type=MediaType.HTML)
async def submit(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """File the proposal with the addressee portal.rules.routing names (cl. 15, 16, 17)."""

    async def step(row: proposals.Row) -> None:
        await proposals.submit(
            db_session,
            row,
            actor=signed_in(request).user_id,
            today=clock.today(),
            now=clock.now(),
            calendar=selections_calendar(clock.today()),
            mail=mail_for(request),
        )

    return await _step(request, db_session, tenant, proposal_id, step, _("The proposal has been filed."))


@post(f"{ONE}/ask", name="proposals:ask", opt=PROPOSE, status_code=303, media_type=MediaType.HTML)
async def ask_again(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any]:
    async def step(row: proposals.Row) -> None:
        await proposals.ask_again(
            db_session, row, actor=signed_in(request).user_id, now=clock.now(), mail=mail_for(request)
        )

    return await _step(request, db_session, tenant, proposal_id, step, _("The member has been asked again."))


@post(f"{ONE}/withdraw", name="proposals:withdraw", opt=PROPOSE, status_code=303, media_type=MediaType.HTML)
async def withdraw(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any]:
    reason = str((await request.form()).get("reason", ""))[:2000]

    async def step(row: proposals.Row) -> None:
        await proposals.withdraw(
            db_session,
            row,
            reason=reason,
            actor=signed_in(request).user_id,
            now=clock.now(),
            mail=mail_for(request),
        )

    return await _step(request, db_session, tenant, proposal_id, step, _("The proposal has been withdrawn."))


@post(
    f"{ONE}/act",
    name="proposals:act",
    opt=PROPOSE,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=UPLOAD_BODY_CEILING,
)
async def record_act(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """The act of appointment (number, date, file): the member is appointed (A-21)."""
    row = await _row(db_session, tenant, proposal_id)
    data = await request.form()
    form = Form.of(data, ["act_number", "act_date"])
    number, act_date = read_act(form, clock.today())
    received = await _received(request, data, form, "act") if form.valid else None
    if received is not None and act_date is not None:
        try:
            await proposals.record_act(
                db_session,
                row,
                _upload(request, received),
                act_number=number,
                act_date=act_date,
                actor=signed_in(request).user_id,
                now=clock.now(),
                mail=mail_for(request),
            )
        except proposals.ProposalRefused as refused:
            form.error("act", refused.message)
        except DocumentRejected as rejected:
            settings = request.app.state.settings
            form.error("act", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
    if not form.valid or received is None:
        if received is not None:
            received.path.unlink(missing_ok=True)
        return await _refused_page(request, db_session, tenant, clock, proposal_id, form)
    await db_session.commit()
    flash(request, _("The appointment has been recorded. The member stays in the reserve."))
    return go_to(request, _url(tenant, proposal_id))


@get(f"{ONE}/files/{{kind:str}}", name="proposals:file", opt=PROPOSE)
async def file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    proposal_id: FromPath[uuid.UUID],
    kind: FromPath[str],
) -> Stream:
    """The service record or the appointment act of a proposal of the region."""
    if kind not in FILE_KINDS:
        raise NotFoundException()
    return proposal_file(request, (await _row(db_session, tenant, proposal_id)).proposal, kind)


PROPOSAL_ROUTES = [
    proposals_page,
    new_page,
    create,
    detail,
    attach_service_record,
    submit,
    ask_again,
    withdraw,
    record_act,
    file,
]

__all__ = ["PROPOSAL_ROUTES"]
