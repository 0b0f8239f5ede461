"""/{region}/exclusions: exclusion proceedings (cl. 18; rules.md 1.6, 3.6). Issue 8 item 6.

The territorial unit (OPEN_EXCLUSION) opens a case on one of the 11 grounds from a member's page,
attaches the evidence the ground needs, files it (the member is told and may comment) or drops a
draft. The working body, the commission and the Agency read the cases and their evidence
(MONITOR_RESERVE); the commission decides through its agenda (portal.reserve.exclusions.record_decision).
"""

import uuid
from typing import Any

from babel.dates import format_date
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
from portal.appointments.proposals import Upload
from portal.appointments.views import mail_for
from portal.auth.guards import signed_in
from portal.auth.policies import Permission, can
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.downloads import attachment
from portal.core.errors import PageError
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.reserve import exclusions, queries
from portal.reserve.exclusion_models import EXCLUSION_STATUS_LABELS, ExclusionCase, ExclusionStatus
from portal.reserve.forms import read_case, read_evidence
from portal.reserve.models import MEMBERSHIP_STATUS_LABELS, ReserveMembership
from portal.rules.exclusion import EVIDENCE_TITLES, cl18_evidence_kinds, cl18_sub_basis
from portal.rules.grounds import ExclusionGround
from portal.selections.drafting import calendar_for
from portal.tenancy.registry import TenantConfig

OPEN = requires(Permission.OPEN_EXCLUSION)
READ = requires(Permission.MONITOR_RESERVE)
BASE = "/exclusions"
ONE = f"{BASE}/{{case_id:uuid}}"


def _url(tenant: TenantConfig, case_id: uuid.UUID | None = None) -> str:
    return f"/{tenant.slug}{BASE}/{case_id}" if case_id else f"/{tenant.slug}{BASE}"


def _common() -> dict[str, Any]:
    return {
        "grounds": list(ExclusionGround),
        "evidence_titles": EVIDENCE_TITLES,
        "evidence_kinds": cl18_evidence_kinds(),
        "case_labels": EXCLUSION_STATUS_LABELS,
        "membership_labels": MEMBERSHIP_STATUS_LABELS,
        "problem_texts": exclusions.PROBLEM_TEXTS,
        "caution_texts": exclusions.CAUTION_TEXTS,
        "language": get_language(),
    }


@get(BASE, name="exclusions:list", opt=READ)
async def case_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    status: FromQuery[str | None] = None,
) -> Template:
    """The region's cases (members' own requests among the drafts), filtered by status."""
    try:
        chosen = ExclusionStatus(status) if status else None
    except ValueError as error:
        raise PageError(status_code=400, detail=_("Unknown filter value.")) from error
    return Template(
        "reserve/exclusions.html",
        context={
            "tenant": tenant,
            "rows": await exclusions.region_cases(db_session, tenant.code, status=chosen),
            "ready": {
                c.id
                for c in await exclusions.cases_ready_for_agenda(db_session, tenant.code, today=clock.today())
            },
            "filters": {"status": status or ""},
            "can_open": can(signed_in(request), Permission.OPEN_EXCLUSION, tenant.code),
            **_common(),
        },
        headers=NO_STORE,
    )


async def _membership(db_session: AsyncSession, tenant: TenantConfig, value: str) -> ReserveMembership | None:
    try:
        membership_id = uuid.UUID(value)
    except ValueError:
        return None
    return await queries.region_member(db_session, tenant.code, membership_id)


async def _new_page(
    db_session: AsyncSession,
    tenant: TenantConfig,
    membership: ReserveMembership | None,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "reserve/exclusion_new.html",
        context={
            "tenant": tenant,
            "m": membership,
            "live": await exclusions.live_case(db_session, membership.id) if membership else None,
            "form": form or Form({"membership": str(membership.id) if membership else ""}),
            **_common(),
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(f"{BASE}/new", name="exclusions:new", opt=OPEN)
async def new_case(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    membership: FromQuery[str | None] = None,
) -> Template:
    """The form: the 11 grounds, each with its legal basis and the evidence it needs (cl. 18)."""
    found = await _membership(db_session, tenant, membership) if membership else None
    if membership and found is None:
        raise NotFoundException()
    return await _new_page(db_session, tenant, found)


@post(BASE, name="exclusions:create", opt=OPEN, status_code=303, media_type=MediaType.HTML)
async def create_case(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    data = await request.form()
    form, fields = read_case(data, clock.today())
    membership = await _membership(db_session, tenant, form.get("membership"))
    if membership is None:
        form.error("membership", _("Open the case from the member's page in the reserve."))
    case = None
    if fields is not None and membership is not None and form.valid:
        try:
            case = await exclusions.open_case(
                db_session,
                membership,
                ground=fields.ground,
                sub_basis=fields.sub_basis,
                summary=fields.summary,
                act_date=fields.act_date,
                actor=signed_in(request).user_id,
                today=clock.today(),
                now=clock.now(),
            )
        except exclusions.ExclusionRefused as refused:
            form.error(refused.field or "ground", refused.message)
    if case is None:
        await db_session.rollback()
        membership = await _membership(db_session, tenant, form.get("membership"))
        return await _new_page(
            db_session, tenant, membership, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("The exclusion case has been opened as a draft. Attach the evidence, then file it."))
    return go_to(request, _url(tenant, case.id))


async def _case(
    db_session: AsyncSession, tenant: TenantConfig, case_id: uuid.UUID
) -> tuple[ExclusionCase, ReserveMembership]:
    case = await exclusions.region_case(db_session, tenant.code, case_id)
    membership = await queries.region_member(db_session, tenant.code, case.membership_id) if case else None
    if case is None or membership is None:
        raise NotFoundException()
    return case, membership


async def _case_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    case: ExclusionCase,
    membership: ReserveMembership,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    ground = exclusions.ground_of(case)
    return Template(
        "reserve/exclusion_case.html",
        context={
            "tenant": tenant,
            "c": case,
            "m": membership,
            "ground": ground,
            "sub_basis": cl18_sub_basis(ground, case.sub_basis),
            "evidence": await exclusions.evidence_of(db_session, case.id),
            "reads": await exclusions.evidence_reads(db_session, case),
            "check": await exclusions.filing_check(db_session, case, membership, clock.today()),
            "ready": exclusions.is_ready(case, clock.today()),
            "can_act": can(signed_in(request), Permission.OPEN_EXCLUSION, tenant.code),
            "form": form or Form({"kind": ground.evidence.value}),
            **_common(),
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(ONE, name="exclusions:case", opt=READ)
async def case_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    case_id: FromPath[uuid.UUID],
) -> Template:
    case, membership = await _case(db_session, tenant, case_id)
    return await _case_page(request, db_session, tenant, clock, case, membership)


async def _received(request: Request[Any, Any, Any], data: Any, form: Form) -> uploads.Received | None:
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.error("file", _("Choose the file of the document."))
        return None
    if not form.valid:
        return None
    settings = request.app.state.settings
    try:
        return await uploads.receive(upload, settings.max_document_bytes, settings.upload_dir)
    except DocumentRejected as rejected:
        form.error("file", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
        return None


@post(
    f"{ONE}/evidence",
    name="exclusions:evidence",
    opt=OPEN,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=UPLOAD_BODY_CEILING,
)
async def add_evidence(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    case_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """Attach one evidence document (PDF, JPEG or PNG, checked and stored like the applicants' files)."""
    case, membership = await _case(db_session, tenant, case_id)
    data = await request.form()
    form, fields = read_evidence(data, clock.today())
    received = await _received(request, data, form)
    settings = request.app.state.settings
    added = None
    if fields is not None and received is not None:
        try:
            added = await exclusions.add_evidence(
                db_session,
                case,
                Upload(received, request.app.state.storage, settings.max_document_bytes),
                kind=fields.kind,
                document_date=fields.document_date,
                in_force_on=fields.in_force_on,
                actor=signed_in(request).user_id,
                now=clock.now(),
            )
        except exclusions.ExclusionRefused as refused:
            form.error("file", refused.message)
        except DocumentRejected as rejected:
            form.error("file", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
    if added is None:
        await db_session.rollback()
        if received is not None:
            received.path.unlink(missing_ok=True)
        case, membership = await _case(db_session, tenant, case_id)
        return await _case_page(
            request,
            db_session,
            tenant,
            clock,
            case,
            membership,
            form=form,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    await db_session.commit()
    flash(request, _("The document has been attached."))
    return go_to(request, _url(tenant, case.id))


@get(f"{ONE}/evidence/{{evidence_id:uuid}}", name="exclusions:evidence-file", opt=READ)
async def evidence_file(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    case_id: FromPath[uuid.UUID],
    evidence_id: FromPath[uuid.UUID],
    request: Request[Any, Any, Any],
    inline: FromQuery[bool] = False,
) -> Stream:
    """An evidence document (restricted): sandboxed, never cached, each read logged."""
    case, _membership = await _case(db_session, tenant, case_id)
    evidence = await exclusions.evidence_read_by(db_session, case, evidence_id, signed_in(request).user_id)
    if evidence is None:
        raise NotFoundException()
    return attachment(request.app.state.storage, evidence, inline=inline)


@post(f"{ONE}/file", name="exclusions:file", opt=OPEN, status_code=303, media_type=MediaType.HTML)
async def file_case(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    case_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """File the proposal: the member is under review (A-22), told, and may comment."""
    case, membership = await _case(db_session, tenant, case_id)
    today = clock.today()
    try:
        await exclusions.file_case(
            db_session,
            case,
            membership,
            actor=signed_in(request).user_id,
            today=today,
            now=clock.now(),
            calendar=calendar_for((today.year, today.year + 1)),
            comment_wd=request.app.state.settings.exclusion_comment_working_days,
            mail=mail_for(request),
        )
    except exclusions.ExclusionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _url(tenant, case_id))
    await db_session.commit()
    due = case.comment_due_on
    flash(
        request,
        _(
            "The proposal has been filed. The member has been told and may comment until %(date)s.",
            date=format_date(due, "d MMMM y", locale=get_language()),
        )
        if due
        else _("The proposal has been filed and is ready for the commission's agenda."),
    )
    return go_to(request, _url(tenant, case_id))


@post(f"{ONE}/drop", name="exclusions:drop", opt=OPEN, status_code=303, media_type=MediaType.HTML)
async def drop_case(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    case_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Close a draft without a proposal; the reason is required (rules.md 3.6 Dropped)."""
    case, membership = await _case(db_session, tenant, case_id)
    reason = str((await request.form()).get("reason", "")).strip()[:2000]
    try:
        if not reason:
            raise exclusions.ExclusionRefused(_("Give the reason for closing the case."))
        await exclusions.drop_case(
            db_session,
            case,
            membership,
            reason=reason,
            actor=signed_in(request).user_id,
            now=clock.now(),
            mail=mail_for(request),
        )
    except exclusions.ExclusionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _url(tenant, case_id))
    await db_session.commit()
    flash(request, _("The case has been closed without a proposal."))
    return go_to(request, _url(tenant, case_id))


EXCLUSION_ROUTES = [
    case_list,
    new_case,
    create_case,
    case_page,
    add_evidence,
    evidence_file,
    file_case,
    drop_case,
]

__all__ = ["EXCLUSION_ROUTES"]
