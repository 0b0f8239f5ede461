"""The candidate's application: start, task list, steps, submit, confirmation, receipt, tracker, withdraw."""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications import queries, services, uploads
from portal.applications.consent import CONSENTS, current_consent
from portal.applications.documents import DocumentRejected
from portal.applications.eligibility import FLAG_TEXTS, REASON_TEXTS, check, profile_facts
from portal.applications.models import SLOT_CLAUSES, SLOT_LABELS, STATUS_LABELS, Application, DocumentSlot
from portal.applications.profile import load_profile
from portal.applications.receipt_data import receipt_pdf
from portal.applications.services import ApplicationRefused, Refusal
from portal.applications.views import REFUSAL_TEXTS, TASK_STATES, task_list
from portal.auth.guards import signed_in
from portal.auth.policies import Permission, Principal
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.downloads import attachment
from portal.core.flash import flash
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.rules.eligibility import Eligibility
from portal.selections.interviews import candidate_interview
from portal.selections.models import Selection
from portal.tenancy.registry import TenantConfig

OWN = requires(Permission.APPLY)
BASE = "/me/applications"
#: The largest request an upload may be (nginx allows 25m too); the document limit is a setting below it.
UPLOAD_BODY_CEILING = 25 * 1024 * 1024


async def _own(
    request: Request[Any, Any, Any], db_session: AsyncSession, application_id: uuid.UUID
) -> tuple[Application, Selection]:
    application = await queries.own_application(db_session, signed_in(request), application_id)
    if application is None:
        raise NotFoundException()
    return application, await queries.selection_of(db_session, application)


async def _eligibility(db_session: AsyncSession, principal: Principal, on: Any) -> Eligibility | None:
    data = await load_profile(db_session, principal.user_id)
    return check(profile_facts(data.user.birth_date, data.profile, data.education, data.employment), on)


async def _notice(
    request: Request[Any, Any, Any], db_session: AsyncSession, application: Application, selection: Selection
) -> dict[str, str]:
    """What the e-mail about this application names: the selection, the region, the tracker link."""
    language = get_language()
    tenant = request.app.state.registry.by_code(application.tenant_id)
    title = (await queries.titles_of(db_session, {selection.id}, language)).get(
        selection.id, selection.reference
    )
    base_url = request.app.state.settings.base_url.rstrip("/")
    return {
        "selection_title": title,
        "region": tenant.name.get(language) if tenant else application.tenant_id,
        "tracker_url": f"{base_url}{BASE}/{application.id}",
    }


async def _email(db_session: AsyncSession, principal: Principal) -> str | None:
    data = await load_profile(db_session, principal.user_id)
    return data.profile.email if data.profile and data.profile.email else None


@post(
    "/announcements/{selection_id:uuid}/apply",
    name="apply",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def apply(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    selection = await db_session.get(Selection, selection_id)
    if selection is None or selection.tenant_id != tenant.code:
        raise NotFoundException()
    principal = signed_in(request)
    try:
        application = await services.start_application(
            db_session,
            selection=selection,
            user_id=principal.user_id,
            iin=principal.iin,
            name=principal.full_name,
            today=clock.today(),
        )
    except ApplicationRefused as refusal:
        await db_session.rollback()
        flash(request, _(REFUSAL_TEXTS[refusal.reason]), "error")
        return go_to(request, f"/{tenant.slug}/announcements/{selection_id}")
    await db_session.commit()
    return go_to(request, f"{BASE}/{application.id}")


@get(BASE, name="tracker", opt=OWN)
async def tracker(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
    items = await queries.my_applications(db_session, signed_in(request), get_language())
    return Template(
        "applications/tracker.html",
        context={"items": items, "status_labels": STATUS_LABELS, "registry": request.app.state.registry},
        headers=NO_STORE,
    )


@get(f"{BASE}/{{application_id:uuid}}", name="application", opt=OWN)
async def application_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Template:
    application, selection = await _own(request, db_session, application_id)
    base = f"{BASE}/{application.id}"
    context: dict[str, Any] = {
        "a": application,
        "selection": selection,
        "tenant": request.app.state.registry.by_code(application.tenant_id),
        "title": (await queries.titles_of(db_session, {selection.id}, get_language())).get(selection.id, ""),
        "status_labels": STATUS_LABELS,
        "documents": await services.documents_of(db_session, application.id),
        "slot_labels": SLOT_LABELS,
        "editable": services.editable(application, selection, clock.today()),
        "history": await queries.history(db_session, application.id),
        "interview": await candidate_interview(db_session, application.id, clock.timezone),
        "accesses": await queries.accesses(db_session, application.id),
        "refusal_texts": REFUSAL_TEXTS,
    }
    if application.status == "draft":
        eligibility = await _eligibility(db_session, signed_in(request), clock.today())
        directions = await services.selection_directions(db_session, selection.id)
        context["tasks"] = task_list(application, eligibility, directions, context["documents"], base)
        context["task_states"] = TASK_STATES
    return Template("applications/application.html", context=context, headers=NO_STORE)


@get(f"{BASE}/{{application_id:uuid}}/eligibility", name="application:eligibility", opt=OWN)
async def eligibility_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Template:
    application, _selection = await _own(request, db_session, application_id)
    data = await load_profile(db_session, signed_in(request).user_id)
    facts = profile_facts(data.user.birth_date, data.profile, data.education, data.employment)
    return Template(
        "applications/eligibility.html",
        context={
            "a": application,
            "facts": facts,
            "result": check(facts, clock.today()),
            "reason_texts": REASON_TEXTS,
            "flag_texts": FLAG_TEXTS,
        },
        headers=NO_STORE,
    )


@get(f"{BASE}/{{application_id:uuid}}/direction", name="application:direction", opt=OWN)
async def direction_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    application_id: FromPath[uuid.UUID],
) -> Template:
    return await _direction_template(request, db_session, application_id)


async def _direction_template(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    application_id: uuid.UUID,
    error: str | None = None,
) -> Template:
    application, selection = await _own(request, db_session, application_id)
    from portal.selections.services import active_directions

    codes = await services.selection_directions(db_session, selection.id)
    options = [
        (d.code, d.name(get_language())) for d in await active_directions(db_session) if d.code in codes
    ]
    return Template(
        "applications/direction.html",
        context={"a": application, "options": options, "error": error},
        status_code=HTTP_422_UNPROCESSABLE_ENTITY if error else 200,
        headers=NO_STORE,
    )


@post(
    f"{BASE}/{{application_id:uuid}}/direction",
    name="application:direction-post",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def choose_direction(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Any:
    application, selection = await _own(request, db_session, application_id)
    code = str((await request.form()).get("direction", ""))
    try:
        await services.choose_direction(
            db_session,
            application,
            selection,
            code=code,
            actor=str(signed_in(request).user_id),
            today=clock.today(),
        )
    except ApplicationRefused as refusal:
        await db_session.rollback()
        return await _direction_template(
            request, db_session, application_id, _(REFUSAL_TEXTS[refusal.reason])
        )
    await db_session.commit()
    return go_to(request, f"{BASE}/{application.id}")


@get(f"{BASE}/{{application_id:uuid}}/documents/{{slot:str}}", name="application:document", opt=OWN)
async def document_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
    slot: FromPath[str],
) -> Template:
    return await _document_template(request, db_session, clock, application_id, _slot(slot))


def _slot(value: str) -> DocumentSlot:
    try:
        return DocumentSlot(value)
    except ValueError as error:
        raise NotFoundException() from error


async def _document_template(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    clock: Clock,
    application_id: uuid.UUID,
    slot: DocumentSlot,
    error: str | None = None,
) -> Template:
    application, selection = await _own(request, db_session, application_id)
    documents = await services.documents_of(db_session, application.id)
    return Template(
        "applications/document.html",
        context={
            "a": application,
            "slot": slot,
            "label": SLOT_LABELS[slot],
            "clause": SLOT_CLAUSES[slot],
            "current": documents.get(slot),
            "editable": services.editable(application, selection, clock.today()),
            "error": error,
            "max_mb": request.app.state.settings.max_document_mb,
        },
        status_code=HTTP_422_UNPROCESSABLE_ENTITY if error else 200,
        headers=NO_STORE,
    )


@post(
    f"{BASE}/{{application_id:uuid}}/documents/{{slot:str}}",
    name="application:document-upload",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
    # one document plus the other fields; a larger body is refused before parsing (413)
    request_max_body_size=UPLOAD_BODY_CEILING,
)
async def upload_document(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
    slot: FromPath[str],
) -> Any:
    document_slot = _slot(slot)
    application, selection = await _own(request, db_session, application_id)
    settings = request.app.state.settings
    if not services.editable(application, selection, clock.today()):
        return await _document_template(
            request, db_session, clock, application_id, document_slot, _(REFUSAL_TEXTS[Refusal.NOT_EDITABLE])
        )
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        message = _("Choose a file to upload.")
        return await _document_template(request, db_session, clock, application_id, document_slot, message)
    try:
        received = await uploads.receive(upload, settings.max_document_bytes, settings.upload_dir)
        _document, replaced = await uploads.attach(
            db_session,
            request.app.state.storage,
            application,
            document_slot,
            received,
            actor=str(signed_in(request).user_id),
            max_bytes=settings.max_document_bytes,
        )
    except DocumentRejected as rejected:
        await db_session.rollback()
        message = _(uploads.REJECTION_TEXTS[rejected.code], limit=settings.max_document_mb)
        return await _document_template(request, db_session, clock, application_id, document_slot, message)
    await db_session.commit()
    if replaced:
        await request.app.state.storage.delete(replaced)
    flash(request, _("The document has been uploaded."))
    return go_to(request, f"{BASE}/{application.id}")


@get(f"{BASE}/{{application_id:uuid}}/documents/{{slot:str}}/file", name="application:document-file", opt=OWN)
async def own_document_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    application_id: FromPath[uuid.UUID],
    slot: FromPath[str],
) -> Stream:
    application, _selection = await _own(request, db_session, application_id)
    document = (await services.documents_of(db_session, application.id)).get(_slot(slot))
    if document is None:
        raise NotFoundException()
    return attachment(request.app.state.storage, document)


@get(f"{BASE}/{{application_id:uuid}}/consent", name="application:consent", opt=OWN)
async def consent_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    application_id: FromPath[uuid.UUID],
) -> Template:
    application, _selection = await _own(request, db_session, application_id)
    return Template(
        "applications/consent.html",
        context={"a": application, "consent": current_consent(), "error": None},
        headers=NO_STORE,
    )


@post(
    f"{BASE}/{{application_id:uuid}}/consent",
    name="application:consent-post",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def give_consent(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Any:
    application, selection = await _own(request, db_session, application_id)
    data = await request.form()
    error = None
    if data.get("version") != current_consent().version or data.get("agree") != "yes":
        error = _("Tick the box to give your consent.")
    else:
        try:
            await services.give_consent(
                db_session,
                application,
                selection,
                actor=str(signed_in(request).user_id),
                today=clock.today(),
                now=clock.now(),
            )
        except ApplicationRefused as refusal:
            error = _(REFUSAL_TEXTS[refusal.reason])
    if error:
        await db_session.rollback()  # expires the loaded rows: read the application again
        application, _selection = await _own(request, db_session, application_id)
        return Template(
            "applications/consent.html",
            context={"a": application, "consent": current_consent(), "error": error},
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            headers=NO_STORE,
        )
    await db_session.commit()
    return go_to(request, f"{BASE}/{application.id}")


@get(f"{BASE}/{{application_id:uuid}}/check", name="application:check", opt=OWN)
async def check_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Template:
    return await _check_template(request, db_session, clock, application_id)


async def _check_template(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    clock: Clock,
    application_id: uuid.UUID,
    refusal: Refusal | None = None,
) -> Template:
    application, selection = await _own(request, db_session, application_id)
    principal = signed_in(request)
    eligibility = await _eligibility(db_session, principal, clock.today())
    state = await services.readiness(db_session, application, selection, eligibility, clock.today())
    data = await load_profile(db_session, principal.user_id)
    return Template(
        "applications/check.html",
        context={
            "a": application,
            "p": data,
            "title": (await queries.titles_of(db_session, {selection.id}, get_language())).get(
                selection.id, ""
            ),
            "documents": await services.documents_of(db_session, application.id),
            "slot_labels": SLOT_LABELS,
            "refusals": ((refusal,) if refusal else ()) + tuple(r for r in state.refusals if r != refusal),
            "refusal_texts": REFUSAL_TEXTS,
            "consent": CONSENTS.get(application.consent_version or ""),
        },
        status_code=HTTP_422_UNPROCESSABLE_ENTITY if refusal else 200,
        headers=NO_STORE,
    )


@post(
    f"{BASE}/{{application_id:uuid}}/submit",
    name="application:submit",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def submit(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Any:
    application, selection = await _own(request, db_session, application_id)
    principal = signed_in(request)
    try:
        await services.submit(
            db_session,
            application,
            selection,
            eligibility=await _eligibility(db_session, principal, clock.today()),
            actor=str(principal.user_id),
            today=clock.today(),
            now=clock.now(),
            language=get_language(),
            email=await _email(db_session, principal),
            notice=await _notice(request, db_session, application, selection),
        )
    except ApplicationRefused as refusal:
        await db_session.rollback()
        return await _check_template(request, db_session, clock, application_id, refusal.reason)
    await db_session.commit()
    return go_to(request, f"{BASE}/{application.id}/confirmation")


@get(f"{BASE}/{{application_id:uuid}}/confirmation", name="application:confirmation", opt=OWN)
async def confirmation(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    application_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    application, _selection = await _own(request, db_session, application_id)
    if application.reference is None:
        return Redirect(f"{BASE}/{application.id}", status_code=303)
    return Template("applications/confirmation.html", context={"a": application}, headers=NO_STORE)


@get(f"{BASE}/{{application_id:uuid}}/receipt.pdf", name="application:receipt", opt=OWN)
async def receipt(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    application_id: FromPath[uuid.UUID],
) -> Response[bytes]:
    application, selection = await _own(request, db_session, application_id)
    if application.reference is None:
        raise NotFoundException()
    pdf = await receipt_pdf(db_session, request.app.state.registry, application, selection, get_language())
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="receipt-{application.reference}.pdf"',
            **NO_STORE,
        },
    )


@get(f"{BASE}/{{application_id:uuid}}/withdraw", name="application:withdraw", opt=OWN)
async def withdraw_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    application_id: FromPath[uuid.UUID],
) -> Template:
    application, _selection = await _own(request, db_session, application_id)
    return Template("applications/withdraw.html", context={"a": application}, headers=NO_STORE)


@post(
    f"{BASE}/{{application_id:uuid}}/withdraw",
    name="application:withdraw-post",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def withdraw(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    application_id: FromPath[uuid.UUID],
) -> Any:
    application, selection = await _own(request, db_session, application_id)
    principal = signed_in(request)
    try:
        await services.withdraw(
            db_session,
            application,
            actor=str(principal.user_id),
            language=get_language(),
            email=await _email(db_session, principal),
            notice=await _notice(request, db_session, application, selection),
            now=clock.now(),
        )
    except ApplicationRefused as refusal:
        await db_session.rollback()
        flash(request, _(REFUSAL_TEXTS[refusal.reason]), "error")
        return go_to(request, f"{BASE}/{application_id}")
    await db_session.commit()
    flash(request, _("Your application has been withdrawn."))
    return go_to(request, f"{BASE}/{application.id}")


APPLICATION_ROUTES = [
    tracker,
    application_page,
    eligibility_page,
    direction_page,
    choose_direction,
    document_page,
    upload_document,
    own_document_file,
    consent_page,
    give_consent,
    check_page,
    submit,
    confirmation,
    receipt,
    withdraw_page,
    withdraw,
]
REGION_APPLICATION_ROUTES = [apply]
