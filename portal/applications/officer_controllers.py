"""/{region}/officer/applications: the territorial unit's list, read-only view (logged), documents,
and registration of applications received on paper or by e-mail (cl. 8)."""

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications import officer, queries, services, uploads
from portal.applications.controllers import UPLOAD_BODY_CEILING
from portal.applications.documents import DocumentRejected
from portal.applications.models import (
    SLOT_LABELS,
    STATUS_LABELS,
    ApplicationStatus,
    CandidateProfile,
    Channel,
    DocumentSlot,
)
from portal.applications.notices import notice_for
from portal.auth.policies import Permission, Principal, can
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.downloads import attachment
from portal.core.errors import PageError
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import N_, get_language
from portal.i18n import gettext as _
from portal.rules.grounds import RefusalGround
from portal.rules.iin import InvalidIin, parse_iin
from portal.selections import review
from portal.selections.drafting import TransitionRefused
from portal.selections.models import PUBLISHED_STATUSES, Selection
from portal.selections.stage_models import Verdict
from portal.tenancy.registry import TenantConfig

REVIEW = requires(Permission.REVIEW_DOCUMENTS)
PAPER_REFUSALS = {
    "received_outside_intake": (
        "received_on",
        N_("The documents must have been received during document intake."),
    ),
    "documents_missing": ("files", N_("Upload the scans of all four documents.")),
    "duplicate": ("iin", N_("This person already has an application in this selection.")),
    "unknown_direction": ("direction", N_("This sector direction is not part of the selection.")),
}
FIELDS = [
    "selection_id",
    "iin",
    "iin_confirm",
    "family_name",
    "given_name",
    "patronymic",
    "channel",
    "received_on",
    "direction",
]


def _officer(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.scope["user"]
    return principal


@get("/officer/applications", name="officer:applications", opt=REVIEW)
async def application_list(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    try:
        selection_id = uuid.UUID(selection) if selection else None
        state = ApplicationStatus(status) if status else None
        number = int(page) if page else 1
        if number < 1:
            raise ValueError(page)
    except ValueError as error:
        raise PageError(status_code=400, detail=_("Unknown filter value.")) from error
    results = await officer.list_applications(
        db_session, tenant.code, selection_id=selection_id, status=state, page=number
    )
    return Template(
        "applications/officer/list.html",
        context={
            "tenant": tenant,
            "results": results,
            # translated once per page, not once per row (issue 9, "Second pass")
            "status_texts": {value: _(label) for value, label in STATUS_LABELS.items()},
            "filters": {"status": status},
        },
        headers=NO_STORE,
    )


@get("/officer/applications/{application_id:uuid}", name="officer:application", opt=REVIEW)
async def application_view(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    application_id: FromPath[uuid.UUID],
) -> Template:
    application = await officer.region_application(db_session, tenant.code, application_id)
    if application is None or application.status == ApplicationStatus.DRAFT:
        raise NotFoundException()
    await officer.log_access(db_session, application, _officer(request).user_id)
    await db_session.commit()
    principal = _officer(request)
    return Template(
        "applications/officer/view.html",
        context={
            "tenant": tenant,
            "a": application,
            "documents": await services.documents_of(db_session, application.id),
            "reviews": await review.reviews_of(db_session, application.id),
            "reasons": review.DOCUMENT_REASONS,
            "grounds": [(g.value, g.title_in(get_language())) for g in RefusalGround],
            "can_decide": can(principal, Permission.DECIDE_REFUSAL, tenant.code),
            "undecided": application.status in review.UNDECIDED,
            "slot_labels": SLOT_LABELS,
            "status_labels": STATUS_LABELS,
        },
        headers=NO_STORE,
    )


async def _decided(db_session: AsyncSession, tenant: TenantConfig, application_id: uuid.UUID) -> Any:
    application = await officer.region_application(db_session, tenant.code, application_id)
    if application is None or application.status == ApplicationStatus.DRAFT:
        raise NotFoundException()
    return application


def _back(request: Request[Any, Any, Any], tenant: TenantConfig, application_id: uuid.UUID) -> Response[Any]:
    return go_to(request, f"/{tenant.slug}/officer/applications/{application_id}")


@post(
    "/officer/applications/{application_id:uuid}/documents/{document_id:uuid}/review",
    name="officer:review-document",
    opt=REVIEW,
    status_code=303,
    media_type=MediaType.HTML,
)
async def review_document(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    application_id: FromPath[uuid.UUID],
    document_id: FromPath[uuid.UUID],
) -> Response[Any]:
    application = await _decided(db_session, tenant, application_id)
    documents = {d.id: d for d in (await services.documents_of(db_session, application.id)).values()}
    if document_id not in documents:
        raise NotFoundException()
    data = await request.form()
    try:
        await review.review_document(
            db_session,
            application,
            documents[document_id],
            verdict=Verdict.REJECTED if data.get("verdict") == "rejected" else Verdict.ACCEPTED,
            reason=str(data.get("reason", "")),
            reviewer=_officer(request).user_id,
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return _back(request, tenant, application_id)
    await db_session.commit()
    flash(request, _("The document review has been recorded."))
    return _back(request, tenant, application_id)


@post(
    "/officer/applications/{application_id:uuid}/decision",
    name="officer:decide",
    opt=requires(Permission.DECIDE_REFUSAL),
    status_code=303,
    media_type=MediaType.HTML,
)
async def decide(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """The territorial unit's head admits the application or refuses it on a cl. 13 ground (A-16)."""
    application = await _decided(db_session, tenant, application_id)
    selection = await queries.selection_of(db_session, application)
    data = await request.form()
    notice = review.Notice(
        application.language,
        await _candidate_email(db_session, application),
        await notice_for(
            db_session,
            registry=request.app.state.registry,
            base_url=request.app.state.settings.base_url,
            application=application,
            selection=selection,
            language=application.language,
        ),
    )
    actor = _officer(request).user_id
    try:
        if data.get("decision") == "admit":
            await review.admit(db_session, application, actor=actor, notice=notice, now=clock.now())
        else:
            ground = (
                RefusalGround(str(data.get("ground")))
                if data.get("ground") in {g.value for g in RefusalGround}
                else None
            )
            if ground is None:
                raise TransitionRefused(_("Choose the ground of the refusal (clause 13)."))
            await review.refuse(
                db_session,
                application,
                ground=ground,
                explanation=str(data.get("explanation", "")),
                actor=actor,
                notice=notice,
                now=clock.now(),
            )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return _back(request, tenant, application_id)
    await db_session.commit()
    flash(request, _("The decision has been recorded and the candidate informed."))
    return _back(request, tenant, application_id)


async def _candidate_email(db_session: AsyncSession, application: Any) -> str | None:
    if application.user_id is None:
        return None
    profile = await db_session.get(CandidateProfile, application.user_id)
    return profile.email if profile and profile.email else None


@get("/officer/applications/{application_id:uuid}/documents/{slot:str}", name="officer:document", opt=REVIEW)
async def document_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    application_id: FromPath[uuid.UUID],
    slot: FromPath[str],
    inline: FromQuery[bool] = False,
) -> Stream:
    application = await officer.region_application(db_session, tenant.code, application_id)
    document = None
    if application is not None and slot in {s.value for s in DocumentSlot}:
        document = (await services.documents_of(db_session, application.id)).get(DocumentSlot(slot))
    if application is None or document is None:
        raise NotFoundException()
    await officer.log_access(db_session, application, _officer(request).user_id, document.id)
    await db_session.commit()
    return attachment(request.app.state.storage, document, inline=inline)


async def _selections(db_session: AsyncSession, tenant_id: str) -> list[Selection]:
    rows = await db_session.execute(
        sa.select(Selection)
        .where(col(Selection.tenant_id) == tenant_id, col(Selection.status).in_(PUBLISHED_STATUSES))
        .order_by(col(Selection.intake_start).desc())
        .limit(30)
    )
    return list(rows.scalars())


async def _form_page(
    db_session: AsyncSession, tenant: TenantConfig, form: Form, status_code: int = 200
) -> Template:
    from portal.selections.services import active_directions

    return Template(
        "applications/officer/register.html",
        context={
            "tenant": tenant,
            "form": form,
            "selection_options": [
                (str(s.id), s.reference) for s in await _selections(db_session, tenant.code)
            ],
            "directions": [(d.code, d.name(get_language())) for d in await active_directions(db_session)],
            "slot_labels": SLOT_LABELS,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get("/officer/applications/new", name="officer:register", opt=REVIEW)
async def register_page(
    db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantConfig]
) -> Template:
    return await _form_page(db_session, tenant, Form())


def _check(form: Form, today: date) -> None:
    form.text("family_name", max_length=120)
    form.text("given_name", max_length=120)
    form.text("patronymic", required=False, max_length=120)
    form.choice("channel", [Channel.PAPER, Channel.EMAIL])
    form.day("received_on")
    try:
        parse_iin(form.get("iin"), today=today)
    except InvalidIin:
        form.error("iin", _("Enter a valid 12-digit IIN."))
    if "iin" not in form.errors and form.get("iin_confirm") != form.get("iin"):
        form.error("iin_confirm", _("The two IINs do not match. Type the IIN again."))


@post(
    "/officer/applications/new",
    name="officer:register-post",
    opt=REVIEW,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=4 * UPLOAD_BODY_CEILING,
)
async def register(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    data = await request.form()
    form = Form.of(data, FIELDS)
    _check(form, clock.today())
    selection = None
    try:
        selection = await db_session.get(Selection, uuid.UUID(form.get("selection_id")))
    except ValueError:
        selection = None
    if selection is None or selection.tenant_id != tenant.code:
        form.error("selection_id", _("Choose a selection."))
    settings = request.app.state.settings
    received: dict[DocumentSlot, uploads.Received] = {}
    try:
        if form.valid:
            for slot in DocumentSlot:
                upload = data.get(slot.value)
                if isinstance(upload, UploadFile) and upload.filename:
                    received[slot] = await uploads.receive(
                        upload, settings.max_document_bytes, settings.upload_dir
                    )
    except DocumentRejected as rejected:
        form.error("files", _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb))
    if not form.valid or selection is None:
        _discard(received)
        return await _form_page(db_session, tenant, form, HTTP_422_UNPROCESSABLE_ENTITY)
    name = " ".join(p for p in (form.get("family_name"), form.get("given_name"), form.get("patronymic")) if p)
    paper = officer.PaperApplication(
        selection,
        form.get("iin"),
        name,
        Channel(form.get("channel")),
        date.fromisoformat(form.get("received_on")),
        form.get("direction") or None,
        received,
    )
    try:
        application = await officer.register_paper(
            db_session,
            request.app.state.storage,
            paper,
            officer=_officer(request).user_id,
            today=clock.today(),
            now=clock.now(),
            max_bytes=settings.max_document_bytes,
        )
    except (officer.PaperRefusedError, DocumentRejected) as refused:
        await db_session.rollback()
        _discard(received)
        code = refused.code if isinstance(refused, officer.PaperRefusedError) else "documents_missing"
        field, message = PAPER_REFUSALS[code]
        form.error(field, _(message))
        return await _form_page(db_session, tenant, form, HTTP_422_UNPROCESSABLE_ENTITY)
    await db_session.commit()
    flash(
        request,
        _("The application has been registered under reference %(ref)s.", ref=application.reference or ""),
    )
    return go_to(request, f"/{tenant.slug}/officer/applications/{application.id}")


def _discard(received: dict[DocumentSlot, uploads.Received]) -> None:
    for item in received.values():
        item.path.unlink(missing_ok=True)


OFFICER_ROUTES = [
    application_list,
    application_view,
    document_file,
    register_page,
    register,
    review_document,
    decide,
]
