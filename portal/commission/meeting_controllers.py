"""/{region}/commission/meetings: the commission's secretary runs the meetings (RUN_MEETING; A-RC-12).

Create a meeting with its agenda of ready items, record attendance, open the meeting (the voting
rule is frozen), put items to the vote and close them (the outcome by portal.rules.voting.tally),
close the meeting. The meeting page refreshes its quorum and counts every few seconds with htmx
(a fragment); without JavaScript a reload shows the same.
"""

import uuid
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

from portal.appointments.views import mail_for
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.commission import agenda, ballots, decisions, forms, meetings, scoring, views
from portal.commission.models import POSITION_LABELS, AgendaItem, ItemOutcome, Meeting, MeetingStatus
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import page_or_partial, wants_partial
from portal.core.responses import NO_STORE, go_to
from portal.core.settings import LANGUAGES
from portal.i18n import N_, get_language, ngettext
from portal.i18n import gettext as _
from portal.selections.drafting import TransitionRefused
from portal.tenancy.registry import TenantConfig

RUN = requires(Permission.RUN_MEETING)
BASE = "/commission/meetings"
MEETING = f"{BASE}/{{meeting_id:uuid}}"
ITEM = f"{MEETING}/items/{{item_id:uuid}}"
#: How often the meeting page asks for the quorum and the counts (htmx polling).
POLL_SECONDS = 3
SUBJECT_CHANGED = N_(
    "The vote is closed, but nothing was decided: the subject of the item changed while it was being "
    "voted on (the request was withdrawn or decided, the case closed, or the candidate or the selection "
    "no longer waits for the commission). Nothing has been applied to it; it is recorded in the minutes."
)


def _zone(clock: Clock) -> ZoneInfo:
    return ZoneInfo(clock.timezone)


def _url(tenant: TenantConfig, meeting_id: uuid.UUID | None = None) -> str:
    return f"/{tenant.slug}{BASE}/{meeting_id}" if meeting_id else f"/{tenant.slug}{BASE}"


async def _item(db_session: AsyncSession, meeting: Meeting, item_id: uuid.UUID) -> AgendaItem:
    item = await ballots.meeting_item(db_session, meeting, item_id)
    if item is None:
        raise NotFoundException()
    return item


def _ready_context(ready: list[agenda.ReadyItem]) -> dict[str, Any]:
    return {"ready": ready, "kind_labels": views.KIND_LABELS, "stage_labels": views.STAGE_LABELS}


async def _list_page(
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    ready = await agenda.ready_items(db_session, tenant.code, clock.today(), language=get_language())
    return Template(
        "commission/meetings.html",
        context={
            "tenant": tenant,
            "meetings": await meetings.region_meetings(db_session, tenant.code),
            "form": form or Form(),
            "chosen": set(form.values.get("agenda", "").split()) if form else {r.key for r in ready},
            "recommended": await scoring.recommended_for(db_session, tenant.code, ready),
            **_ready_context(ready),
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(BASE, name="commission:meetings", opt=RUN)
async def meetings_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    """The region's meetings and a new one, with the items ready for decision (A-RC-12)."""
    return await _list_page(db_session, tenant, clock)


@post(BASE, name="commission:meeting-create", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def create_meeting(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    data = await request.form()
    form, scheduled_at, place = forms.read_meeting(data, _zone(clock))
    keys = [str(k) for k in data.getall("agenda", [])]
    form.values["agenda"] = " ".join(keys)
    chosen, gone = agenda.chosen(
        await agenda.ready_items(db_session, tenant.code, clock.today(), language=get_language()), keys
    )
    if gone:
        form.error("agenda", _("Some of the chosen items are no longer waiting for a decision."))
    if not form.valid or scheduled_at is None:
        return await _list_page(
            db_session, tenant, clock, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    meeting = await meetings.create_meeting(
        db_session,
        tenant.code,
        scheduled_at=scheduled_at,
        place=place,
        agenda=chosen,
        actor=signed_in(request).user_id,
        zone=_zone(clock),
    )
    try:  # the ch. 2-1 requests and cl. 18 cases are told they are on the agenda
        await agenda.claim(
            db_session,
            await meetings.items_of(db_session, meeting),
            actor=signed_in(request).user_id,
            today=clock.today(),
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        form.error("agenda", refused.message)
        return await _list_page(
            db_session, tenant, clock, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("Meeting No. %(number)s has been created.", number=f"{meeting.number}/{meeting.year}"))
    return go_to(request, _url(tenant, meeting.id))


@get(MEETING, name="commission:meeting", opt=RUN)
async def meeting_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Template:
    """The agenda, the attendance, the quorum and the counts; an htmx poll gets the live fragment."""
    return await _meeting_page(request, db_session, tenant, clock, meeting_id)


async def _meeting_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    meeting_id: uuid.UUID,
    *,
    close: tuple[uuid.UUID, Form] | None = None,
    status_code: int = 200,
) -> Template:
    """The meeting page; `close`: the item whose closing form came back with an error (422)."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    # The poll asks for the live fragment only: the ready items are for the full page.
    full = not wants_partial(request) and meeting.status != MeetingStatus.CLOSED
    ready = (
        await agenda.ready_items(db_session, tenant.code, clock.today(), language=get_language())
        if full
        else []
    )
    view = await views.meeting_view(db_session, meeting, _zone(clock), language=get_language())
    context = {
        "tenant": tenant,
        "view": view,
        # The closing form of a ch. 2-1 or cl. 18 item sent back with its error.
        "close_item_id": close[0] if close else None,
        "close_form": close[1] if close else Form(),
        # The interview recommendation of the enrolment items, ready or on the agenda.
        "recommended": await scoring.recommended_for(
            db_session, tenant.code, [*ready, *(v.item for v in view.items)]
        ),
        "position_labels": POSITION_LABELS,
        "outcome_labels": views.OUTCOME_LABELS,
        "choice_labels": views.CHOICE_LABELS,
        "poll_seconds": POLL_SECONDS,
        "zone": _zone(clock),
        **_ready_context(ready),
    }
    response = page_or_partial(
        request, "commission/meeting.html", "commission/_live.html", context, status_code=status_code
    )
    response.headers.update(NO_STORE)
    return response


async def _refused(
    request: Request[Any, Any, Any], db_session: AsyncSession, refused: TransitionRefused, url: str
) -> Response[Any]:
    await db_session.rollback()
    flash(request, refused.message, "error")
    return go_to(request, url)


@post(f"{MEETING}/agenda", name="commission:agenda-add", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def add_to_agenda(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Response[Any]:
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    keys = [str(k) for k in (await request.form()).getall("agenda", [])]
    chosen, gone = agenda.chosen(
        await agenda.ready_items(db_session, tenant.code, clock.today(), language=get_language()), keys
    )
    try:
        if not chosen:
            raise TransitionRefused(_("Choose at least one item waiting for a decision."))
        added = await meetings.add_items(db_session, meeting, chosen, actor=signed_in(request).user_id)
        await agenda.claim(db_session, added, actor=signed_in(request).user_id, today=clock.today())
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    await db_session.commit()
    flash(
        request,
        ngettext("%(num)s item added to the agenda.", "%(num)s items added to the agenda.", len(chosen)),
    )
    if gone:
        flash(request, _("Some of the chosen items are no longer waiting for a decision."), "warning")
    return go_to(request, _url(tenant, meeting_id))


@post(
    f"{MEETING}/attendance", name="commission:attendance", opt=RUN, status_code=303, media_type=MediaType.HTML
)
async def record_attendance(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Who attends, in person or remotely (one choice per member: `presence-<member id>`)."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    data = await request.form()
    marks: dict[uuid.UUID, meetings.Presence] = {}
    for name, value in data.items():
        if not name.startswith("presence-") or value not in {p.value for p in meetings.Presence}:
            continue
        try:
            marks[uuid.UUID(name.removeprefix("presence-"))] = meetings.Presence(value)
        except ValueError:
            continue
    try:
        await meetings.record_attendance(
            db_session, meeting, marks, actor=signed_in(request).user_id, zone=_zone(clock)
        )
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    await db_session.commit()
    flash(request, _("The attendance has been recorded."))
    return go_to(request, _url(tenant, meeting_id))


@post(f"{MEETING}/open", name="commission:meeting-open", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def open_meeting(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    meeting_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """The meeting opens; the region's voting rule in force now applies to it to the end (A-20)."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    try:
        await meetings.open_meeting(db_session, meeting, actor=signed_in(request).user_id)
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    await db_session.commit()
    flash(request, _("The meeting is open. Its voting rule is fixed until it closes."))
    return go_to(request, _url(tenant, meeting_id))


@post(
    f"{MEETING}/close", name="commission:meeting-close", opt=RUN, status_code=303, media_type=MediaType.HTML
)
async def close_meeting(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    meeting_id: FromPath[uuid.UUID],
) -> Response[Any]:
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    try:
        undecided = await meetings.close_meeting(db_session, meeting, actor=signed_in(request).user_id)
        # cl. 18 cases never put to the vote are ready again for a later agenda
        items = await meetings.items_of(db_session, meeting)
        await decisions.release_undecided(db_session, items, actor=signed_in(request).user_id)
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    await db_session.commit()
    flash(request, _("The meeting is closed."))
    if undecided:
        flash(
            request,
            ngettext(
                "%(num)s item was not put to the vote: it can go on the agenda of a later meeting.",
                "%(num)s items were not put to the vote: they can go on the agenda of a later meeting.",
                undecided,
            ),
            "warning",
        )
    return go_to(request, _url(tenant, meeting_id))


@post(f"{ITEM}/open", name="commission:item-open", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def open_item(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    meeting_id: FromPath[uuid.UUID],
    item_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Put the item to the vote."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    item = await _item(db_session, meeting, item_id)
    try:
        await ballots.open_item(db_session, meeting, item, actor=signed_in(request).user_id)
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    await db_session.commit()
    flash(request, _("The item is put to the vote: the members present can vote now."))
    return go_to(request, _url(tenant, meeting_id))


@post(f"{ITEM}/close", name="commission:item-close", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def close_item(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
    item_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """Close the vote: the outcome is counted and recorded with the clause, and carried out. A ch. 2-1
    request not adopted needs the recorded reason of the refusal (A-18): without it, 422."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    item = await _item(db_session, meeting, item_id)
    form = Form.of(await request.form(), ("reason",))
    reason = form.text("reason", required=False, max_length=2000)
    if not form.valid:
        return await _meeting_page(
            request,
            db_session,
            tenant,
            clock,
            meeting_id,
            close=(item_id, form),
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    closing = ballots.Closing(
        actor=signed_in(request).user_id,
        now=clock.now(),
        today=clock.today(),
        zone=_zone(clock),
        letters=decisions.Letters(
            {language: tenant.name.get(language) for language in LANGUAGES},
            request.app.state.settings.base_url,
            mail_for(request),
            get_language(),
        ),
        reason=reason,
    )
    try:
        closed = await ballots.close_item(db_session, meeting, item, closing)
    except decisions.ReasonNeeded as needed:
        await db_session.rollback()
        form.error("reason", needed.message)
        return await _meeting_page(
            request,
            db_session,
            tenant,
            clock,
            meeting_id,
            close=(item_id, form),
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    outcome = closed.outcome
    await db_session.commit()
    if outcome == ItemOutcome.SUBJECT_CHANGED:
        flash(request, _(SUBJECT_CHANGED), "warning")
    elif outcome is not None:
        flash(request, _("The vote is closed: %(outcome)s.", outcome=_(views.OUTCOME_LABELS[outcome])))
    return go_to(request, _url(tenant, meeting_id))


MEETING_ROUTES = [
    meetings_page,
    create_meeting,
    meeting_page,
    add_to_agenda,
    record_attendance,
    open_meeting,
    close_meeting,
    open_item,
    close_item,
]
