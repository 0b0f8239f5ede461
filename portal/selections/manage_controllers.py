"""/{region}/manage/selections: prepare, send to the commission (cl. 3, A-RC-4(10)), publish, record
evidence (cl. 3, 7);
/agency/agreements: the Agency's queue across regions (cl. 3)."""

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

from portal.applications.models import STATUS_LABELS
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.commission import decisions
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import N_, get_language
from portal.i18n import gettext as _
from portal.selections import dashboard, drafting, queries, review
from portal.selections.models import Selection, SelectionStatus
from portal.selections.services import active_directions
from portal.selections.stage_models import AgreementAction, Channel
from portal.tenancy.registry import TenantConfig

DRAFT = requires(Permission.DRAFT_SELECTION)
PUBLISH = requires(Permission.PUBLISH_ANNOUNCEMENT)
AGREE = requires(Permission.AGREE_SELECTION)
BASE = "/manage/selections"
STATUS_NAMES: dict[SelectionStatus, str] = {
    SelectionStatus.DRAFT: N_("Draft"),
    SelectionStatus.AWAITING_COMMISSION: N_("Awaiting the commission's approval"),
    SelectionStatus.AWAITING_AGREEMENT: N_("Awaiting the Agency's agreement"),
    SelectionStatus.AGREED: N_("Agreed"),
    SelectionStatus.ANNOUNCED: N_("Announced"),
    SelectionStatus.INTAKE_OPEN: N_("Intake open"),
    SelectionStatus.INTAKE_CLOSED: N_("Intake closed"),
    SelectionStatus.TESTING: N_("Testing"),
    SelectionStatus.COMPETENCY: N_("Competency assessment"),
    SelectionStatus.VETTING: N_("Checks (clause 11)"),
    SelectionStatus.INTERVIEW: N_("Interview"),
    SelectionStatus.CONSIDERATION: N_("Consideration"),
    SelectionStatus.COMPLETED: N_("Completed"),
    SelectionStatus.CANCELLED: N_("Cancelled"),
    SelectionStatus.SUSPENDED: N_("Suspended"),
}
#: The history of the parameters (cl. 3): the commission's approval, then the Agency's agreement.
AGREEMENT_NAMES: dict[AgreementAction, str] = {
    AgreementAction.TO_COMMISSION: N_("Sent to the commission"),
    AgreementAction.APPROVED: N_("Approved by the commission, sent to the Agency"),
    AgreementAction.NOT_APPROVED: N_("Not approved by the commission"),
    AgreementAction.SUBMITTED: N_("Sent to the Agency"),
    AgreementAction.AGREED: N_("Agreed by the Agency"),
    AgreementAction.RETURNED: N_("Returned by the Agency"),
}
CHANNEL_NAMES: dict[Channel, str] = {
    Channel.AGENCY_SITE: N_("Website of the Agency"),
    Channel.TU_SITE: N_("Website of the territorial unit"),
    Channel.AKIMAT_SITE: N_("Website of the akim's office"),
    Channel.MEDIA: N_("Regional mass media"),
    Channel.SOCIAL: N_("Social networks"),
}


@get(BASE, name="manage:selections", opt=DRAFT)
async def selection_list(
    db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantConfig]
) -> Template:
    return Template(
        "selections/manage/list.html",
        context={
            "tenant": tenant,
            "selections": await queries.region_selections(db_session, tenant.code),
            "status_names": STATUS_NAMES,
        },
        headers=NO_STORE,
    )


async def _form_page(
    db_session: AsyncSession,
    tenant: TenantConfig,
    form: Form,
    chosen: dict[str, str],
    *,
    selection: Selection | None = None,
    status_code: int = 200,
) -> Template:
    directions = [(d.code, d.name(get_language())) for d in await active_directions(db_session)]
    return Template(
        "selections/manage/form.html",
        context={
            "tenant": tenant,
            "form": form,
            "directions": directions,
            "chosen": chosen,
            "selection": selection,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(f"{BASE}/new", name="manage:new", opt=DRAFT)
async def new_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    form = Form(
        {
            "notice_working_days": "15",
            "planned_publication": clock.today().isoformat(),
            "contact_email": tenant.territorial_unit.email,
            "contact_phone": tenant.territorial_unit.phone,
        }
    )
    return await _form_page(db_session, tenant, form, {})


def _read_form(data: Any) -> tuple[Form, dict[str, str]]:
    names = [*drafting.SCALAR_FIELDS, *drafting.TEXT_FIELDS, "rubric_kk", "rubric_ru", "rubric_en"]
    form = Form.of(data, names)
    chosen = (
        {code: str(data.get(f"quota_{code}", "")).strip() for code in data.getall("direction")}
        if "direction" in data
        else {}
    )
    return form, chosen


async def _save(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    selection: Selection | None,
) -> Response[Any] | Template:
    form, chosen = _read_form(await request.form())
    known = [d.code for d in await active_directions(db_session)]
    draft = drafting.check_draft(form, chosen, known, clock.today())
    if not form.valid:
        return await _form_page(
            db_session, tenant, form, chosen, selection=selection, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    try:
        saved = await drafting.save_draft(
            db_session,
            tenant_id=tenant.code,
            actor=signed_in(request).user_id,
            draft=draft,
            selection=selection,
        )
    except drafting.TransitionRefused as refused:
        form.error("quota", refused.message)
        return await _form_page(
            db_session, tenant, form, chosen, selection=selection, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("The selection has been saved as a draft."))
    return go_to(request, f"/{tenant.slug}{BASE}/{saved.id}")


@post(f"{BASE}/new", name="manage:create", opt=DRAFT, status_code=303, media_type=MediaType.HTML)
async def create(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    return await _save(request, db_session, tenant, clock, None)


@get(f"{BASE}/{{selection_id:uuid}}", name="manage:selection", opt=DRAFT)
async def selection_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    return await _selection_page(db_session, tenant, clock, selection)


async def _selection_page(
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    selection: Selection,
    *,
    reason_form: Form | None = None,
    status_code: int = 200,
) -> Template:
    data = await queries.selection_file(db_session, selection)
    board = await dashboard.dashboard(db_session, selection, clock.now(), clock.today())
    calendar = drafting.calendar_between(clock.today(), selection.intake_start)
    return Template(
        "selections/manage/selection.html",
        context={
            "tenant": tenant,
            "f": data,
            "s": selection,
            "board": board,
            "status_names": STATUS_NAMES,
            "agreement_names": AGREEMENT_NAMES,
            "channels": CHANNEL_NAMES,
            "application_statuses": STATUS_LABELS,
            "latest_publication": calendar.latest_publication_date(
                selection.intake_start, selection.notice_working_days
            ),
            "working_days_to_intake": calendar.working_days_between(clock.today(), selection.intake_start),
            "today": clock.today(),
            "quota_use": await decisions.quota_use(db_session, selection),
            "reason_form": reason_form or Form(),
            "reason_max": decisions.REASON_MAX,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@post(
    f"{BASE}/{{selection_id:uuid}}/under-quota-reason",
    name="manage:under-quota-reason",
    opt=DRAFT,
    status_code=303,
    media_type=MediaType.HTML,
)
async def record_under_quota_reason(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """Why the commission enrolled fewer candidates than the quota (rules.md A-11)."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    form = Form.of(await request.form(), ("reason",))
    try:
        await decisions.record_under_quota_reason(
            db_session, selection, form.get("reason"), actor=signed_in(request).user_id
        )
    except drafting.TransitionRefused as refused:
        await db_session.rollback()
        form.error("reason", str(refused))
        selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
        return await _selection_page(
            db_session, tenant, clock, selection, reason_form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("The reason has been recorded."))
    return go_to(request, f"/{tenant.slug}{BASE}/{selection.id}")


def _form_of(data: queries.SelectionFile) -> tuple[Form, dict[str, str]]:
    s = data.selection
    values = {
        name: str(getattr(s, name) or "") for name in drafting.SCALAR_FIELDS if name != "planned_publication"
    }
    values["planned_publication"] = (s.published_on or s.intake_start).isoformat()
    for language, text in data.texts.items():
        values |= {
            f"title_{language}": text.title,
            f"summary_{language}": text.summary,
            f"body_{language}": text.body,
        }
    for language in drafting.LANGUAGES:
        values[f"rubric_{language}"] = "\n".join(
            c.get(language, "") for c in (data.rubric.competencies if data.rubric else [])
        )
    return Form(values), {code: str(q or "") for code, q in data.directions.items()}


@get(f"{BASE}/{{selection_id:uuid}}/edit", name="manage:edit", opt=DRAFT)
async def edit_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    form, chosen = _form_of(await queries.selection_file(db_session, selection))
    return await _form_page(db_session, tenant, form, chosen, selection=selection)


@post(
    f"{BASE}/{{selection_id:uuid}}/edit",
    name="manage:update",
    opt=DRAFT,
    status_code=303,
    media_type=MediaType.HTML,
)
async def update(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    return await _save(
        request,
        db_session,
        tenant,
        clock,
        await queries.region_selection_or_404(db_session, tenant.code, selection_id),
    )


async def _transition(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    selection_id: uuid.UUID,
    *,
    action: Any,
    done: str,
) -> Response[Any]:
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    try:
        await action(selection)
    except drafting.TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, f"/{tenant.slug}{BASE}/{selection_id}")
    await db_session.commit()
    flash(request, done)
    return go_to(request, f"/{tenant.slug}{BASE}/{selection_id}")


@post(
    f"{BASE}/{{selection_id:uuid}}/submit",
    name="manage:submit",
    opt=DRAFT,
    status_code=303,
    media_type=MediaType.HTML,
)
async def submit_to_commission(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """The draft goes to the commission, which approves the parameters before the Agency agrees
    them (cl. 3, A-RC-4(10))."""
    return await _transition(
        request,
        db_session,
        tenant,
        selection_id,
        action=lambda s: drafting.submit_to_commission(db_session, s, signed_in(request).user_id),
        done=_("The selection has been sent to the commission for approval of its parameters (clause 3)."),
    )


@post(
    f"{BASE}/{{selection_id:uuid}}/publish",
    name="manage:publish",
    opt=PUBLISH,
    status_code=303,
    media_type=MediaType.HTML,
)
async def publish(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    return await _transition(
        request,
        db_session,
        tenant,
        selection_id,
        action=lambda s: drafting.publish(db_session, s, signed_in(request).user_id, clock.today()),
        done=_("The announcement has been published."),
    )


@post(
    f"{BASE}/{{selection_id:uuid}}/evidence",
    name="manage:evidence",
    opt=PUBLISH,
    status_code=303,
    media_type=MediaType.HTML,
)
async def record_evidence(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    form = Form.of(await request.form(), ["channel", "url", "published_on"])
    form.choice("channel", [c.value for c in Channel])
    url = form.text("url", max_length=500)
    if url and not url.startswith(("https://", "http://")):
        form.error("url", _("Enter the full address, starting with https://."))
    published_on = form.day("published_on")
    if not form.valid or published_on is None:
        flash(request, " ".join(form.errors.values()), "error")
        return go_to(request, f"/{tenant.slug}{BASE}/{selection_id}")
    return await _transition(
        request,
        db_session,
        tenant,
        selection_id,
        action=lambda s: drafting.record_evidence(
            db_session,
            s,
            signed_in(request).user_id,
            channel=Channel(form.get("channel")),
            url=url,
            published_on=published_on,
        ),
        done=_("The publication has been recorded."),
    )


@post(
    f"{BASE}/{{selection_id:uuid}}/start-testing",
    name="manage:start-testing",
    opt=requires(Permission.DECIDE_REFUSAL),
    status_code=303,
    media_type=MediaType.HTML,
)
async def start_testing(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Intake closed, every application decided: testing begins (rules.md 3.1; the TU head)."""
    return await _transition(
        request,
        db_session,
        tenant,
        selection_id,
        action=lambda s: review.start_testing(
            db_session, s, actor=signed_in(request).user_id, today=clock.today()
        ),
        done=_("The selection has moved to testing."),
    )


@get("/agency/agreements", name="agency:agreements", opt=AGREE)
async def agreement_queue(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    return Template(
        "selections/manage/agreements.html",
        context={
            "selections": await queries.awaiting_agreement(db_session),
            "registry": request.app.state.registry,
        },
        headers=NO_STORE,
    )


async def _queued(db_session: AsyncSession, selection_id: uuid.UUID) -> Selection:
    selection = await db_session.get(Selection, selection_id)
    if selection is None:
        raise NotFoundException()
    return selection


@get("/agency/agreements/{selection_id:uuid}", name="agency:agreement", opt=AGREE)
async def agreement_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    selection = await _queued(db_session, selection_id)
    return Template(
        "selections/manage/agreement.html",
        context={
            "f": await queries.selection_file(db_session, selection),
            "s": selection,
            "tenant": request.app.state.registry.by_code(selection.tenant_id),
            "status_names": STATUS_NAMES,
        },
        headers=NO_STORE,
    )


@post(
    "/agency/agreements/{selection_id:uuid}",
    name="agency:decide",
    opt=AGREE,
    status_code=303,
    media_type=MediaType.HTML,
)
async def decide_agreement(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    data = await request.form()
    selection = await _queued(db_session, selection_id)
    comment = str(data.get("comment", ""))
    try:
        if data.get("decision") == "agree":
            await drafting.agree(db_session, selection, signed_in(request).user_id, comment)
            message = _("The parameters have been agreed.")
        else:
            await drafting.return_to_draft(db_session, selection, signed_in(request).user_id, comment)
            message = _("The selection has been returned with your comments.")
    except drafting.TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, f"/agency/agreements/{selection_id}")
    await db_session.commit()
    flash(request, message)
    return go_to(request, "/agency/agreements")


MANAGE_ROUTES = [
    start_testing,
    selection_list,
    new_page,
    create,
    selection_page,
    record_under_quota_reason,
    edit_page,
    update,
    submit_to_commission,
    publish,
    record_evidence,
]
AGENCY_ROUTES = [agreement_queue, agreement_page, decide_agreement]
