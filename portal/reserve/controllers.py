"""/{region}/reserve: the region's registry of members (BROWSE_RESERVE) and the working body's monitoring
with its CSV and XLSX export (MONITOR_RESERVE; A-RC-12). Issue 8 items 1 and 7.

Lists are filtered (sector direction, status, term ending within N days), sorted and paged on the
server; htmx asks for the rows only. The IIN is always masked on screen; the export carries it in
full only for the working body and the territorial unit, when asked (rules.md 5.11), and every
export is written to the audit log.

The public list of the enrolled (A-27: name and direction, only with the member's consent to
publication) is portal.reserve.public_controllers.
"""

import uuid
from datetime import date
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream, Template
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal.appointments import consents
from portal.appointments.models import PROPOSAL_STATUS_LABELS
from portal.auth.guards import signed_in
from portal.auth.policies import Permission, can
from portal.core.access import requires
from portal.core.audit import Change, record
from portal.core.clock import Clock
from portal.core.htmx import page_or_partial
from portal.core.responses import NO_STORE
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.reserve import exclusions, monitoring, queries
from portal.reserve.exclusion_models import EXCLUSION_STATUS_LABELS, UNDER_REVIEW_STATUSES
from portal.reserve.forms import read_filters
from portal.reserve.models import MEMBERSHIP_STATUS_LABELS, MembershipStatus
from portal.rules.grounds import ExclusionGround
from portal.tenancy.registry import TenantConfig

BROWSE = requires(Permission.BROWSE_RESERVE)
MONITOR = requires(Permission.MONITOR_RESERVE)
BASE = "/reserve"
MONITORING = f"{BASE}/monitoring"


async def _listing(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    today: date,
    query: dict[str, str | None],
) -> dict[str, Any]:
    known = await queries.directions(db_session)
    filters = read_filters(**query, known_directions=known)
    page = await queries.members(
        db_session, tenant.code, filters, today=today, page_size=request.app.state.settings.page_size
    )
    language = get_language()
    return {
        "tenant": tenant,
        "page": page,
        "today": today,
        "appointments": await queries.appointments_of(
            db_session, [r.membership.id for r in page.items], appointed_only=True
        ),
        "directions": {code: d.name(language) for code, d in known.items()},
        "filters": {k: v or "" for k, v in query.items() if k != "page"},
        "status_labels": queries.STATUS_FILTER_LABELS,
        "membership_labels": MEMBERSHIP_STATUS_LABELS,
        "sort_labels": queries.SORT_LABELS,
    }


def _query(
    direction: str | None, status: str | None, ending_within: str | None, sort: str | None, page: str | None
) -> dict[str, str | None]:
    return {
        "direction": direction,
        "status": status,
        "ending_within": ending_within,
        "sort": sort,
        "page": page,
    }


@get(BASE, name="reserve:registry", opt=BROWSE)
async def registry(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    direction: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    ending_within: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    """The region's reserve: sector direction, term end, appointments and exclusion review (cl. 12, A-22)."""
    context = await _listing(
        request, db_session, tenant, clock.today(), _query(direction, status, ending_within, sort, page)
    )
    principal = signed_in(request)
    context["can_monitor"] = can(principal, Permission.MONITOR_RESERVE, tenant.code)
    response = page_or_partial(request, "reserve/registry.html", "reserve/_registry_rows.html", context)
    response.headers.update(NO_STORE)
    return response


@get(f"{BASE}/members/{{membership_id:uuid}}", name="reserve:member", opt=BROWSE)
async def member_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    membership_id: FromPath[uuid.UUID],
) -> Template:
    """One member: the term and its countdown, the appointments; the proposals and the exclusion
    cases for the readers of the monitoring (an appointing official sees only whether it is under review)."""
    membership = await queries.region_member(db_session, tenant.code, membership_id)
    if membership is None:
        raise NotFoundException()
    principal = signed_in(request)
    monitor = can(principal, Permission.MONITOR_RESERVE, tenant.code)
    cases = await exclusions.cases_of(db_session, membership.id)
    live = next((c for c in cases if c.status in exclusions.LIVE_STATUSES), None)
    today = clock.today()
    known = await queries.directions(db_session)
    return Template(
        "reserve/member.html",
        context={
            "tenant": tenant,
            "m": membership,
            "today": today,
            "direction": known[membership.direction_code].name(get_language())
            if membership.direction_code in known
            else "",
            "appointments": (await queries.appointments_of(db_session, [membership.id])).get(
                membership.id, []
            ),
            "cases": cases if monitor else [],
            "under_review": any(c.status in UNDER_REVIEW_STATUSES for c in cases),
            "consent": await consents.current_consent(db_session, membership.id),
            "can_monitor": monitor,
            "may_open_case": can(principal, Permission.OPEN_EXCLUSION, tenant.code)
            and membership.status == MembershipStatus.ACTIVE
            and membership.ends_on >= today
            and live is None,
            "grounds": ExclusionGround,
            "membership_labels": MEMBERSHIP_STATUS_LABELS,
            "proposal_labels": PROPOSAL_STATUS_LABELS,
            "case_labels": EXCLUSION_STATUS_LABELS,
        },
        headers=NO_STORE,
    )


# --- monitoring (A-RC-12) ------------------------------------------------------------------------


@get(MONITORING, name="reserve:monitoring", opt=MONITOR)
async def monitoring_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    direction: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    ending_within: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    """The members with their appointment status, term ends, open proposals and cases (A-RC-12)."""
    query = _query(direction, status, ending_within, sort, page)
    context = await _listing(request, db_session, tenant, clock.today(), query)
    context["may_export_iin"] = _may_see_iin(request, tenant)
    response = page_or_partial(request, "reserve/monitoring.html", "reserve/_monitoring_rows.html", context)
    response.headers.update(NO_STORE)
    return response


def _may_see_iin(request: Request[Any, Any, Any], tenant: TenantConfig) -> bool:
    """rules.md 5.11: the full IIN only for the working body (the secretary) and the territorial unit,
    who match the members with their files; everybody else reads it masked."""
    principal = signed_in(request)
    return can(principal, Permission.RUN_MEETING, tenant.code) or can(
        principal, Permission.OPEN_EXCLUSION, tenant.code
    )


async def _export(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    query: dict[str, str | None],
    *,
    iin: str | None,
    kind: str,
) -> Stream:
    known = await queries.directions(db_session)
    filters = read_filters(**query, known_directions=known)
    full_iin = iin == "full"
    if full_iin and not _may_see_iin(request, tenant):
        raise PermissionDeniedException()
    today = clock.today()
    await record(
        db_session,
        Change(
            "reserve.monitoring_exported",
            "tenant",
            tenant.code,
            str(signed_in(request).user_id),
            tenant.code,
            clause="",
            after={"format": kind, "full_iin": full_iin, **{k: v for k, v in query.items() if v}},
        ),
    )
    await db_session.commit()
    language = get_language()
    labels = monitoring.Labels(
        headings=tuple(_(h) for h in monitoring.HEADINGS),
        directions={code: d.name(language) for code, d in known.items()},
        statuses={str(k): _(v) for k, v in MEMBERSHIP_STATUS_LABELS.items()},
        yes=_("Yes"),
        no=_("No"),
    )
    factory = async_sessionmaker(request.app.state.alchemy.get_engine(), expire_on_commit=False)
    name = f"reserve-{tenant.slug}-{today.isoformat()}.{kind}"
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        **NO_STORE,
    }
    if kind == "csv":
        chunks = monitoring.csv_chunks(factory, tenant.code, filters, labels, today=today, full_iin=full_iin)
        return Stream(chunks, media_type="text/csv; charset=utf-8", headers=headers)
    chunks = monitoring.xlsx_chunks(
        factory,
        tenant.code,
        filters,
        labels,
        today=today,
        full_iin=full_iin,
        work_dir=request.app.state.settings.upload_dir,
    )
    return Stream(
        chunks,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=headers,
    )


@get(f"{MONITORING}.csv", name="reserve:monitoring-csv", opt=MONITOR)
async def monitoring_csv(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    direction: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    ending_within: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    iin: FromQuery[str | None] = None,
) -> Stream:
    """The monitoring list as CSV (UTF-8), streamed; the IIN masked unless `iin=full` is allowed."""
    query = _query(direction, status, ending_within, sort, None)
    return await _export(request, db_session, tenant, clock, query, iin=iin, kind="csv")


@get(f"{MONITORING}.xlsx", name="reserve:monitoring-xlsx", opt=MONITOR)
async def monitoring_xlsx(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    direction: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    ending_within: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    iin: FromQuery[str | None] = None,
) -> Stream:
    """The monitoring list as an XLSX workbook; the IIN masked unless `iin=full` is allowed."""
    query = _query(direction, status, ending_within, sort, None)
    return await _export(request, db_session, tenant, clock, query, iin=iin, kind="xlsx")


RESERVE_ROUTES = [registry, member_page, monitoring_page, monitoring_csv, monitoring_xlsx]

__all__ = ["RESERVE_ROUTES"]
