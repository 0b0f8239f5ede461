"""Enrolment without selection (ch. 2-1, cl. 13-1..13-4).

- /agency/direct-enrolment: the Agency imports the National Commission's approved lists (preview,
  four eyes, SHA-256) and follows every region's requests (IMPORT_DIRECT_LIST, central).
- /me/direct-enrolment: a listed person's offer, request and withdrawal (anyone signed in; 403 for
  an IIN on no approved list, rules.md R-13-1).
- /{region}/commission/direct-requests: the region's requests with due dates and overdue flags, for
  the commission's secretary, chair and deputy chair, and the Agency (VIEW_DIRECT_REQUESTS).
"""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.guards import signed_in
from portal.auth.policies import Permission, Principal
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language, ngettext
from portal.i18n import gettext as _
from portal.reserve import direct_services as direct
from portal.reserve.direct_forms import read_request
from portal.reserve.direct_import import ListPreview
from portal.reserve.direct_views import LIST_STATUS_NAMES, PROBLEM_LABELS, REQUEST_STATUS_NAMES
from portal.selections.services import active_directions
from portal.tenancy.registry import TenantConfig, TenantRegistry

IMPORT = requires(Permission.IMPORT_DIRECT_LIST)
FOLLOW = requires(Permission.VIEW_DIRECT_REQUESTS)
APPLY = requires(Permission.APPLY)
AGENCY = "/agency/direct-enrolment"
ME = direct.CANDIDATE_PAGE
MAX_FILE = 5 * 1024 * 1024


def _base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.settings.base_url)


def _registry(request: Request[Any, Any, Any]) -> TenantRegistry:
    registry: TenantRegistry = request.app.state.registry
    return registry


# --- the Agency: lists (cl. 13-1) -------------------------------------------------------------------


async def _lists_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    *,
    preview: ListPreview | None = None,
    error: str = "",
    status_code: int = 200,
) -> Template:
    return Template(
        "reserve/direct/lists.html",
        context={
            "preview": preview,
            "error": error,
            "lists": await direct.recent_lists(db_session),
            "problem_labels": PROBLEM_LABELS,
            "list_statuses": LIST_STATUS_NAMES,
            "me": signed_in(request).user_id,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(AGENCY, name="direct:lists", opt=IMPORT)
async def lists_page(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
    """The upload form and the latest uploads, pending ones with their approval."""
    return await _lists_page(request, db_session)


@post(
    AGENCY,
    name="direct:lists-upload",
    opt=IMPORT,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=MAX_FILE + 64 * 1024,
)
async def upload_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        error = _("Choose the list file.")
        return await _lists_page(request, db_session, error=error, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    content = await upload.read(MAX_FILE + 1)
    try:
        preview, batch = await direct.upload_list(
            db_session,
            content=content if len(content) <= MAX_FILE else b"",
            file_name=upload.filename,
            actor=signed_in(request).user_id,
            today=clock.today(),
        )
    except direct.DirectRefused as refused:
        await db_session.rollback()
        return await _lists_page(
            request, db_session, error=refused.message, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    if batch is None:
        await db_session.rollback()
        return await _lists_page(
            request, db_session, preview=preview, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(
        request,
        ngettext(
            "%(num)s row checked without problems. The list waits for approval by another Agency officer.",
            "%(num)s rows checked without problems. The list waits for approval by another Agency officer.",
            len(preview.rows),
        ),
    )
    return go_to(request, AGENCY)


@post(
    f"{AGENCY}/{{list_id:uuid}}/approve",
    name="direct:lists-approve",
    opt=IMPORT,
    status_code=303,
    media_type=MediaType.HTML,
)
async def approve_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    list_id: FromPath[uuid.UUID],
) -> Response[Any]:
    try:
        count = await direct.approve_list(
            db_session, list_id, actor=signed_in(request).user_id, now=clock.now()
        )
    except LookupError as error:
        raise NotFoundException() from error
    except direct.DirectRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, AGENCY)
    await db_session.commit()
    flash(
        request,
        ngettext(
            "%(num)s person has been added to the lists.",
            "%(num)s people have been added to the lists.",
            count,
        ),
    )
    return go_to(request, AGENCY)


@post(
    f"{AGENCY}/{{list_id:uuid}}/discard",
    name="direct:lists-discard",
    opt=IMPORT,
    status_code=303,
    media_type=MediaType.HTML,
)
async def discard_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    list_id: FromPath[uuid.UUID],
) -> Response[Any]:
    try:
        await direct.discard_list(db_session, list_id, actor=signed_in(request).user_id, now=clock.now())
    except LookupError as error:
        raise NotFoundException() from error
    except direct.DirectRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, AGENCY)
    await db_session.commit()
    flash(request, _("The upload has been discarded; nothing was stored."))
    return go_to(request, AGENCY)


# --- following the requests (cl. 13-3) --------------------------------------------------------------


async def _requests_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    clock: Clock,
    tenant: TenantConfig | None,
) -> Template:
    today = clock.today()
    standing, closed = await direct.tracked_requests(
        db_session, tenant_id=tenant.code if tenant is not None else None, today=today
    )
    return Template(
        "reserve/direct/requests.html",
        context={
            "tenant": tenant,
            "standing": standing,
            "closed": closed,
            "overdue": sum(1 for t in standing if t.overdue),
            "registry": _registry(request),
            "statuses": REQUEST_STATUS_NAMES,
            "today": today,
        },
        headers=NO_STORE,
    )


@get(f"{AGENCY}/requests", name="direct:agency-requests", opt=IMPORT)
async def agency_requests(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
) -> Template:
    """Every region's requests for the Agency (rules.md 2.3.2, R-13-3: overdue ones flagged)."""
    return await _requests_page(request, db_session, clock, None)


@get("/commission/direct-requests", name="direct:region-requests", opt=FOLLOW)
async def region_requests(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    tenant: NamedDependency[TenantConfig],
) -> Template:
    """The region's requests for the commission's chair and secretary (cl. 13-3)."""
    return await _requests_page(request, db_session, clock, tenant)


# --- the listed person (cl. 13-1, 13-2) -------------------------------------------------------------


def _person(principal: Principal) -> direct.Person:
    return direct.Person(principal.user_id, principal.iin, principal.full_name)


async def _offer_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    clock: Clock,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    offer = await direct.offer_for(db_session, signed_in(request).iin, clock.today())
    if offer is None:
        raise PermissionDeniedException()
    language = get_language()
    registry = _registry(request)
    return Template(
        "reserve/direct/offer.html",
        context={
            "offer": offer,
            "form": form or Form(),
            "regions": [
                (t.code, t.name.get(language)) for t in sorted(registry.all(), key=lambda t: t.sort_key)
            ],
            "directions": [(d.code, d.name(language)) for d in await active_directions(db_session)],
            "registry": registry,
            "statuses": REQUEST_STATUS_NAMES,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(ME, name="direct:offer", opt=APPLY)
async def offer_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
) -> Template:
    """The offer of cl. 13-1 with its deadline (cl. 13-2), the region form and the person's requests."""
    return await _offer_page(request, db_session, clock)


@post(ME, name="direct:file", opt=APPLY, status_code=303, media_type=MediaType.HTML)
async def file_request(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    principal = signed_in(request)
    if await direct.offer_for(db_session, principal.iin, clock.today()) is None:
        raise PermissionDeniedException()  # rules.md R-13-1: not on any approved list
    regions = [t.code for t in _registry(request).all()]
    directions = [d.code for d in await active_directions(db_session)]
    form, choice = read_request(await request.form(), regions=regions, directions=directions)
    if choice is not None:
        try:
            await direct.file_request(
                db_session,
                _person(principal),
                tenant_id=choice.tenant_id,
                direction_code=choice.direction_code,
                language=get_language(),
                today=clock.today(),
                now=clock.now(),
                base_url=_base_url(request),
            )
        except direct.NotListed as error:
            raise PermissionDeniedException() from error
        except direct.DirectRefused as refused:
            form.error(refused.field or "region", refused.message)
    if choice is None or not form.valid:
        await db_session.rollback()
        return await _offer_page(
            request, db_session, clock, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("Your request has been sent to the commission."))
    return go_to(request, ME)


@post(
    f"{ME}/{{request_id:uuid}}/withdraw",
    name="direct:withdraw",
    opt=APPLY,
    status_code=303,
    media_type=MediaType.HTML,
)
async def withdraw_request(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    request_id: FromPath[uuid.UUID],
) -> Response[Any]:
    try:
        await direct.withdraw_request(
            db_session, _person(signed_in(request)), request_id, now=clock.now(), base_url=_base_url(request)
        )
    except LookupError as error:
        raise NotFoundException() from error
    except direct.DirectRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, ME)
    await db_session.commit()
    flash(request, _("Your request has been withdrawn."))
    return go_to(request, ME)


DIRECT_ROUTES = [
    lists_page,
    upload_list,
    approve_list,
    discard_list,
    agency_requests,
    offer_page,
    file_request,
    withdraw_request,
]
REGION_DIRECT_ROUTES = [region_requests]
