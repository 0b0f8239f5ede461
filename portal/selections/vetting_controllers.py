"""/{region}/manage/selections/{id}/vetting: the cl. 11 checks before the interview.

The territorial unit records each candidate's checks and closes vetting (BACKGROUND_CHECK); the
commission's secretary records the commission's decision on a removal proposal (RUN_MEETING).
Commission members read the conclusions (VIEW_VETTING_CONCLUSIONS); the chair, deputy and
secretary also the checklists and the replies (VIEW_BACKGROUND_CHECK). Candidates, observers and
the Agency's officers see none of it (R-11). A removal proposal is made automatically when the
conclusion becomes non-compliant (portal.selections.vetting).
"""

import uuid
from datetime import date
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

from portal.applications import officer, uploads
from portal.applications.controllers import UPLOAD_BODY_CEILING
from portal.applications.documents import DocumentRejected
from portal.applications.models import STATUS_LABELS, Application
from portal.auth.guards import signed_in
from portal.auth.policies import Permission, can
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.downloads import attachment
from portal.core.errors import PageError
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import page_or_partial
from portal.core.responses import NO_STORE, go_to
from portal.core.settings import LANGUAGES
from portal.i18n import get_language, ngettext
from portal.i18n import gettext as _
from portal.rules.vetting import Conclusion
from portal.selections import queries, vetting
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection
from portal.selections.stage_models import ProposalDecision, VettingStatus
from portal.tenancy.registry import TenantConfig

CHECK = requires(Permission.BACKGROUND_CHECK)
READ_CONCLUSIONS = requires(Permission.VIEW_VETTING_CONCLUSIONS)
READ_CHECKS = requires(Permission.VIEW_BACKGROUND_CHECK)
BASE = "/manage/selections/{selection_id:uuid}/vetting"
CANDIDATE = f"{BASE}/{{application_id:uuid}}"
ITEM_FIELDS = ["status", "authority", "requested_on", "reply_reference", "note"]


async def _candidate(
    db_session: AsyncSession, tenant: TenantConfig, selection_id: uuid.UUID, application_id: uuid.UUID
) -> tuple[Selection, Application]:
    """The selection and one of its candidates at (or past) the checks; anything else is not found."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    application = await vetting.vetted_application(db_session, selection, application_id)
    if application is None:
        raise NotFoundException()
    return selection, application


def _url(tenant: TenantConfig, selection_id: uuid.UUID, application_id: uuid.UUID | None = None) -> str:
    base = f"/{tenant.slug}/manage/selections/{selection_id}/vetting"
    return f"{base}/{application_id}" if application_id else base


def _list_parameters(
    conclusion: str | None, sort: str | None, page: str | None
) -> tuple[Conclusion | None, vetting.Sort, bool, int]:
    try:
        chosen = Conclusion(conclusion) if conclusion else None
        order = vetting.Sort((sort or "reference").removeprefix("-"))
        number = int(page) if page else 1
        if number < 1:
            raise ValueError(page)
    except ValueError as error:
        raise PageError(status_code=400, detail=_("Unknown filter value.")) from error
    return chosen, order, bool(sort and sort.startswith("-")), number


@get(BASE, name="manage:vetting", opt=READ_CONCLUSIONS)
async def vetting_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    conclusion: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    """The candidates with their conclusion (cl. 11), filtered and sorted on the server."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    chosen, order, descending, number = _list_parameters(conclusion, sort, page)
    listing = await vetting.candidates(
        db_session,
        selection,
        conclusion=chosen,
        sort=order,
        descending=descending,
        page=number,
        today=clock.today(),
        reply_wd=request.app.state.settings.vetting_reply_working_days,
    )
    principal = signed_in(request)
    context = {
        "tenant": tenant,
        "s": selection,
        "listing": listing,
        "filters": {"conclusion": conclusion or "", "sort": sort or "reference"},
        "blockers": await vetting.blockers(db_session, selection),
        "conclusion_labels": vetting.CONCLUSION_LABELS,
        "status_labels": STATUS_LABELS,
        "items": vetting.ITEMS,
        "can_check": can(principal, Permission.BACKGROUND_CHECK, tenant.code),
        "can_read_checks": can(principal, Permission.VIEW_BACKGROUND_CHECK, tenant.code),
    }
    response = page_or_partial(
        request, "selections/manage/vetting_list.html", "selections/manage/_vetting_rows.html", context
    )
    response.headers.update(NO_STORE)
    return response


async def _candidate_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    selection: Selection,
    application: Application,
    *,
    form: Form | None = None,
    form_item: str = "",
    status_code: int = 200,
) -> Template:
    principal = signed_in(request)
    found = await vetting.checklist(
        db_session,
        application,
        today=clock.today(),
        reply_wd=request.app.state.settings.vetting_reply_working_days,
    )
    return Template(
        "selections/manage/vetting_candidate.html",
        context={
            "tenant": tenant,
            "s": selection,
            "a": application,
            "c": found,
            "form": form or Form(),
            "form_item": form_item,
            "conclusion_labels": vetting.CONCLUSION_LABELS,
            "check_statuses": vetting.STATUS_LABELS,
            "status_labels": STATUS_LABELS,
            "items": vetting.ITEMS,
            "ground_title": vetting.ground_title(get_language()),
            "can_check": can(principal, Permission.BACKGROUND_CHECK, tenant.code),
            "can_decide": can(principal, Permission.RUN_MEETING, tenant.code),
            "today": clock.today(),
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(CANDIDATE, name="manage:vetting-candidate", opt=READ_CHECKS)
async def candidate_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
) -> Template:
    """One candidate's checklist (cl. 11); the opening is logged for the candidate to see."""
    selection, application = await _candidate(db_session, tenant, selection_id, application_id)
    await officer.log_access(db_session, application, signed_in(request).user_id)
    await db_session.commit()
    return await _candidate_page(request, db_session, tenant, clock, selection, application)


def _read_entry(form: Form, today: date) -> vetting.Entry:
    status = form.choice("status", [s.value for s in VettingStatus])
    authority = form.text("authority", required=False, max_length=300)
    requested_on = form.day("requested_on", required=False)
    if requested_on is not None and requested_on > today:
        form.error("requested_on", _("The request cannot be dated in the future."))
    reply_reference = form.text("reply_reference", required=False, max_length=200)
    note = form.text("note", required=status == VettingStatus.ADVERSE, max_length=4000)
    return vetting.Entry(
        VettingStatus(status) if form.valid else VettingStatus.PENDING,
        authority,
        requested_on,
        reply_reference,
        note,
    )


async def _received(request: Request[Any, Any, Any], data: Any, form: Form) -> uploads.Received | None:
    upload = data.get("reply")
    if not form.valid or not isinstance(upload, UploadFile) or not upload.filename:
        return None
    settings = request.app.state.settings
    try:
        return await uploads.receive(upload, settings.max_document_bytes, settings.upload_dir)
    except DocumentRejected as rejected:
        form.error("reply", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
        return None


@post(
    f"{CANDIDATE}/items/{{item:str}}",
    name="manage:vetting-record",
    opt=CHECK,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=UPLOAD_BODY_CEILING,
)
async def record_item(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
    item: FromPath[str],
) -> Response[Any] | Template:
    """One item of the checklist: the request, the reply (reference, file) and the finding."""
    selection, application = await _candidate(db_session, tenant, selection_id, application_id)
    if item not in vetting.ITEMS:
        raise NotFoundException()
    data = await request.form()
    form = Form.of(data, ITEM_FIELDS)
    entry = _read_entry(form, clock.today())
    received = await _received(request, data, form)
    settings = request.app.state.settings
    upload = (
        vetting.Upload(received, request.app.state.storage, settings.max_document_bytes) if received else None
    )
    recorded = None
    if form.valid:
        try:
            recorded = await vetting.record_check(
                db_session,
                selection,
                application,
                item,
                entry,
                upload=upload,
                actor=signed_in(request).user_id,
                now=clock.now(),
            )
        except TransitionRefused as refused:
            form.error("status", refused.message)
        except DocumentRejected as rejected:
            form.error("reply", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
    if recorded is None:
        await db_session.rollback()
        if received is not None:
            received.path.unlink(missing_ok=True)
        selection, application = await _candidate(db_session, tenant, selection_id, application_id)
        return await _candidate_page(
            request,
            db_session,
            tenant,
            clock,
            selection,
            application,
            form=form,
            form_item=item,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    await db_session.commit()
    if recorded.replaced_key:
        await request.app.state.storage.delete(recorded.replaced_key)
    flash(request, _("The check has been recorded."))
    if recorded.proposal is not None:
        flash(
            request,
            _(
                "The conclusion is non-compliant: the removal of the candidate under clause 13(3) "
                "has been proposed to the commission."
            ),
            "warning",
        )
    return go_to(request, _url(tenant, selection_id, application_id))


@get(f"{CANDIDATE}/items/{{item:str}}/reply", name="manage:vetting-reply", opt=READ_CHECKS)
async def reply_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
    item: FromPath[str],
    inline: FromQuery[bool] = False,
) -> Stream:
    """A state body's reply (restricted, R-11): sandboxed, never cached; the opening is logged."""
    _selection_row, application = await _candidate(db_session, tenant, selection_id, application_id)
    reply = await vetting.reply_of(db_session, application, item) if item in vetting.ITEMS else None
    if reply is None:
        raise NotFoundException()
    await officer.log_access(db_session, application, signed_in(request).user_id, reply.id)
    await db_session.commit()
    return attachment(request.app.state.storage, reply, inline=inline)


@post(
    f"{CANDIDATE}/proposal",
    name="manage:vetting-decide",
    opt=requires(Permission.RUN_MEETING),
    status_code=303,
    media_type=MediaType.HTML,
)
async def decide_proposal(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    application_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """The commission's decision on the removal proposal (A-16), recorded by its secretary."""
    selection, application = await _candidate(db_session, tenant, selection_id, application_id)
    proposal = (await vetting.open_proposals(db_session, [application.id])).get(application.id)
    if proposal is None:
        raise NotFoundException()
    data = await request.form()
    decision = str(data.get("decision", ""))
    back = _url(tenant, selection_id, application_id)
    try:
        if decision not in {ProposalDecision.REMOVED, ProposalDecision.REJECTED}:
            raise TransitionRefused(_("Choose the commission's decision."))
        await vetting.decide_proposal(
            db_session,
            proposal,
            application,
            remove=decision == ProposalDecision.REMOVED,
            minutes=str(data.get("minutes", "")),
            actor=signed_in(request).user_id,
            mail=await _mail(request, db_session, tenant, selection),
            now=clock.now(),
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(
        request,
        _("The candidate has been removed from the selection and informed.")
        if decision == ProposalDecision.REMOVED
        else _("The proposal has been rejected: the checks are to be done again."),
    )
    return go_to(request, back)


async def _mail(
    request: Request[Any, Any, Any], db_session: AsyncSession, tenant: TenantConfig, selection: Selection
) -> vetting.Mail:
    return await vetting.mail_for(
        db_session,
        selection,
        region={language: tenant.name.get(language) for language in LANGUAGES},
        base_url=request.app.state.settings.base_url,
    )


@post(f"{BASE}/close", name="manage:vetting-close", opt=CHECK, status_code=303, media_type=MediaType.HTML)
async def close_vetting(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Vetting closes: the cleared candidates go to the interview (cl. 6(4), 11; rules.md 3.1)."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    try:
        cleared = await vetting.close_vetting(
            db_session,
            selection,
            actor=signed_in(request).user_id,
            mail=await _mail(request, db_session, tenant, selection),
            now=clock.now(),
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _url(tenant, selection_id))
    await db_session.commit()
    flash(
        request,
        ngettext(
            "The checks are closed: %(num)s candidate is invited to the interview.",
            "The checks are closed: %(num)s candidates are invited to the interview.",
            cleared,
        ),
    )
    return go_to(request, f"/{tenant.slug}/manage/selections/{selection_id}")


VETTING_ROUTES = [vetting_list, candidate_page, record_item, reply_file, decide_proposal, close_vetting]
