"""/{region}/manage/selections/{id}/interviews and /observers: the interview schedule (cl. 6(4)),
attendance and reschedules (rules.md A-13), and the observers of cl. 12.

The territorial unit and the secretary read the schedule (DRAFT_SELECTION); the commission's
secretary changes it and invites observers (RUN_MEETING): see portal.selections.interviews.
"""

import uuid
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications.officer import region_application
from portal.auth.guards import signed_in
from portal.auth.policies import Permission, can
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import VARY_HEADERS, wants_partial
from portal.core.responses import NO_STORE, go_to
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.rules.iin import InvalidIin, parse_iin
from portal.selections import interviews, observers, queries
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection
from portal.selections.stage_models import InterviewSlot, ObserverCategory, ObserverInvitation
from portal.tenancy.registry import TenantConfig

VIEW = requires(Permission.DRAFT_SELECTION)
RUN = requires(Permission.RUN_MEETING)
BASE = "/manage/selections/{selection_id:uuid}"
GENERATE_FIELDS = ("first", "minutes", "day_end", "place")
ONE_FIELDS = ("application_id", "starts_at", "place")
RESCHEDULE_FIELDS = ("starts_at", "place", "reason", "protocol")
INVITE_FIELDS = ("iin", "iin_confirm", "name", "organisation", "category")


def _url(tenant: TenantConfig, selection_id: uuid.UUID, page: str) -> str:
    return f"/{tenant.slug}/manage/selections/{selection_id}/{page}"


def _moment(form: Form, name: str, zone: ZoneInfo) -> datetime | None:
    """A `datetime-local` field ("2025-06-02T10:00") read as a time in the portal's time zone."""
    value = form.get(name)
    if not value:
        form.error(name, _("Enter the date and time."))
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone)
    except ValueError:
        form.error(name, _("Enter the date and time as YYYY-MM-DD HH:MM."))
        return None


def _clock_time(form: Form, name: str) -> time | None:
    try:
        return time.fromisoformat(form.get(name))
    except ValueError:
        form.error(name, _("Enter the time as HH:MM."))
        return None


def _minutes(form: Form) -> int:
    low, high = interviews.MINUTES_RANGE
    value = form.get("minutes")
    if not value.isdigit() or not low <= int(value) <= high:
        form.error(
            "minutes", _("Give each interview between %(low)s and %(high)s minutes.", low=low, high=high)
        )
        return 0
    return int(value)


async def _act(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    s: Selection,
) -> interviews.Act:
    head = await interviews.letterhead(
        db_session, s, tenant.name.model_dump(), request.app.state.settings.base_url
    )
    return interviews.Act(
        signed_in(request).user_id,
        clock.now(),
        ZoneInfo(clock.timezone),
        head,
        await interviews.emails_of(db_session, s),
    )


async def _interviews_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    selection: Selection,
    *,
    gen: Form | None = None,
    one: Form | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    people = await interviews.candidates(db_session, selection, ZoneInfo(clock.timezone))
    context = {
        "tenant": tenant,
        "s": selection,
        "people": people,
        "waiting": [p for p in people if p.slot is None],
        "gen": gen or Form({"minutes": "30", "day_end": "18:00"}),
        "one": one or Form(),
        "problem": problem,
        "can_run": can(signed_in(request), Permission.RUN_MEETING, tenant.code),
        "conclusion_labels": interviews.CONCLUSION_LABELS,
        "slot_labels": interviews.SLOT_LABELS,
        "now": clock.now(),
    }
    partial = wants_partial(request) and status_code == 200
    return Template(
        "selections/manage/_interview_slots.html" if partial else "selections/manage/interviews.html",
        context=context,
        status_code=status_code,
        headers={**VARY_HEADERS, **NO_STORE},
    )


@get(f"{BASE}/interviews", name="manage:interviews", opt=VIEW)
async def interviews_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    return await _interviews_page(request, db_session, tenant, clock, selection)


@post(
    f"{BASE}/interviews/generate",
    name="manage:interviews-generate",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def generate_schedule(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """Slots for every cleared candidate without one, on working days (cl. 6(4), R-6(4))."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    form = Form.of(await request.form(), GENERATE_FIELDS)
    first = _moment(form, "first", ZoneInfo(clock.timezone))
    minutes, day_end = _minutes(form), _clock_time(form, "day_end")
    place = form.text("place")
    if not form.valid or first is None or day_end is None:
        return await _interviews_page(
            request, db_session, tenant, clock, selection, gen=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    try:
        done = await interviews.generate(
            db_session,
            selection,
            await _act(request, db_session, tenant, clock, selection),
            first=first,
            minutes=minutes,
            day_end=day_end,
            place=place,
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        form.error("first", refused.message)
        selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
        return await _interviews_page(
            request, db_session, tenant, clock, selection, gen=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    count = len(done.slots)
    flash(
        request,
        ngettext(
            "%(num)s candidate has been invited to the interview.",
            "%(num)s candidates have been invited to the interview.",
            count,
            num=count,
        ),
    )
    if done.not_cleared:
        refs = ", ".join(done.not_cleared)
        flash(
            request,
            _("Not scheduled, not cleared by the checks of clause 11: %(refs)s.", refs=refs),
            "warning",
        )
    return go_to(request, _url(tenant, selection_id, "interviews"))


@post(
    f"{BASE}/interviews/schedule",
    name="manage:interviews-schedule",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def schedule_one(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """One candidate's interview time and place."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    form = Form.of(await request.form(), ONE_FIELDS)
    starts_at = _moment(form, "starts_at", ZoneInfo(clock.timezone))
    place = form.text("place")
    application = None
    try:
        application = await region_application(db_session, tenant.code, uuid.UUID(form.get("application_id")))
    except ValueError:
        application = None
    if application is None or application.selection_id != selection.id:
        form.error("application_id", _("Choose a candidate."))
    if not form.valid or starts_at is None or application is None:
        return await _interviews_page(
            request, db_session, tenant, clock, selection, one=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    try:
        act = await _act(request, db_session, tenant, clock, selection)
        await interviews.schedule_one(
            db_session, selection, application, act, starts_at=starts_at, place=place
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        form.error("application_id", refused.message)
        selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
        return await _interviews_page(
            request, db_session, tenant, clock, selection, one=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("The candidate has been invited to the interview."))
    return go_to(request, _url(tenant, selection_id, "interviews"))


async def _slot(
    db_session: AsyncSession, selection: Selection, slot_id: uuid.UUID
) -> tuple[InterviewSlot, Any]:
    slot = await db_session.get(InterviewSlot, slot_id)
    if slot is None or slot.selection_id != selection.id or slot.tenant_id != selection.tenant_id:
        raise NotFoundException()
    application = await region_application(db_session, selection.tenant_id, slot.application_id)
    if application is None:
        raise NotFoundException()
    return slot, application


@post(
    f"{BASE}/interviews/{{slot_id:uuid}}/attendance",
    name="manage:interviews-attendance",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def record_attendance(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    slot_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Attended, or a no-show recorded as absent (rules.md A-13)."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    slot, application = await _slot(db_session, selection, slot_id)
    outcome = (await request.form()).get("outcome")
    back = _url(tenant, selection_id, "interviews")
    if outcome not in {"attended", "no_show"}:
        flash(request, _("Choose whether the candidate attended."), "error")
        return go_to(request, back)
    try:
        act = await _act(request, db_session, tenant, clock, selection)
        await interviews.record_attendance(
            db_session, selection, slot, application, act, attended=outcome == "attended"
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(request, _("The attendance of %(name)s has been recorded.", name=slot.pseudonym))
    return go_to(request, back)


@post(
    f"{BASE}/interviews/{{slot_id:uuid}}/reschedule",
    name="manage:interviews-reschedule",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def reschedule(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    slot_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """A force-majeure reschedule by the commission's recorded decision (rules.md A-13)."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    slot, application = await _slot(db_session, selection, slot_id)
    form = Form.of(await request.form(), RESCHEDULE_FIELDS)
    starts_at = _moment(form, "starts_at", ZoneInfo(clock.timezone))
    form.text("reason", max_length=2000)
    form.text("protocol", max_length=120)
    form.text("place", required=False)
    pseudonym = slot.pseudonym
    problem = None if form.valid else f"{pseudonym}: " + " ".join(form.errors.values())
    if problem is None and starts_at is not None:
        try:
            await interviews.reschedule(
                db_session,
                selection,
                slot,
                application,
                await _act(request, db_session, tenant, clock, selection),
                starts_at=starts_at,
                place=form.get("place"),
                reason=form.get("reason"),
                protocol=form.get("protocol"),
            )
        except TransitionRefused as refused:
            await db_session.rollback()
            problem = f"{pseudonym}: {refused.message}"
            selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    if problem is not None:
        return await _interviews_page(
            request,
            db_session,
            tenant,
            clock,
            selection,
            problem=problem,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    await db_session.commit()
    flash(
        request,
        _("The interview of %(name)s has been rescheduled and the candidate informed.", name=pseudonym),
    )
    return go_to(request, _url(tenant, selection_id, "interviews"))


# --- observers (cl. 12)


async def _observers_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    selection: Selection,
    clock: Clock,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    base_url = request.app.state.settings.base_url.rstrip("/")
    return Template(
        "selections/manage/observers.html",
        context={
            "tenant": tenant,
            "s": selection,
            "invitations": await observers.invitations(db_session, selection),
            "form": form or Form(),
            "categories": observers.CATEGORY_LABELS,
            "zone": ZoneInfo(clock.timezone),
            "observe_url": f"{base_url}/{tenant.slug}/observe/selections/{selection.id}",
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(f"{BASE}/observers", name="manage:observers", opt=RUN)
async def observers_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    return await _observers_page(request, db_session, tenant, selection, clock)


def _invitee(form: Form, today: Any) -> observers.Invitee | None:
    try:
        parse_iin(form.get("iin"), today=today)
    except InvalidIin:
        form.error("iin", _("Enter a valid 12-digit IIN."))
    if "iin" not in form.errors and form.get("iin_confirm") != form.get("iin"):
        form.error("iin_confirm", _("The two IINs do not match. Type the IIN again."))
    form.text("name")
    form.text("organisation")
    form.choice("category", [c.value for c in ObserverCategory])
    if not form.valid:
        return None
    return observers.Invitee(
        form.get("iin"), form.get("name"), form.get("organisation"), ObserverCategory(form.get("category"))
    )


@post(
    f"{BASE}/observers",
    name="manage:observers-invite",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def invite_observer(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """Invite an observer by IIN, with name, organisation and category (cl. 12)."""
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    form = Form.of(await request.form(), INVITE_FIELDS)
    invitee = _invitee(form, clock.today())
    if invitee is not None:
        try:
            await observers.invite(
                db_session, selection, invitee, actor=signed_in(request).user_id, now=clock.now()
            )
        except TransitionRefused as refused:
            await db_session.rollback()
            form.error("iin", refused.message)
            selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    if invitee is None or not form.valid:
        return await _observers_page(
            request,
            db_session,
            tenant,
            selection,
            clock,
            form=form,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    await db_session.commit()
    flash(request, _("The observer has been invited. Send them the address of the observer page."))
    return go_to(request, _url(tenant, selection_id, "observers"))


@post(
    f"{BASE}/observers/{{invitation_id:uuid}}/revoke",
    name="manage:observers-revoke",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def revoke_observer(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    invitation_id: FromPath[uuid.UUID],
) -> Response[Any]:
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    invitation = await db_session.get(ObserverInvitation, invitation_id)
    if invitation is None or invitation.selection_id != selection.id or invitation.tenant_id != tenant.code:
        raise NotFoundException()
    back = _url(tenant, selection_id, "observers")
    try:
        await observers.revoke(db_session, invitation, actor=signed_in(request).user_id, now=clock.now())
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(request, _("The invitation has been revoked: the observer's access has ended."))
    return go_to(request, back)


INTERVIEW_ROUTES = [
    interviews_page,
    generate_schedule,
    schedule_one,
    record_attendance,
    reschedule,
    observers_page,
    invite_observer,
    revoke_observer,
]
