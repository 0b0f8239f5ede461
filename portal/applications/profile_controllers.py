"""/me/profile: what the candidate adds to the identity provider's data, one form per section."""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications import profile as profiles
from portal.applications.eligibility import BARRED_LABELS
from portal.applications.forms import contact_form, declarations_form, education_form, employment_form
from portal.applications.models import EducationEntry, EmploymentEntry
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import wants_partial
from portal.core.responses import NO_STORE, go_to
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.rules.eligibility import KZ, BarredCategory, EducationLevel, EmploymentKind

OWN = requires(Permission.APPLY)
PROFILE_URL = "/me/profile"
SECTIONS = ("contact", "declarations", "education", "employment")
LEVEL_LABELS: dict[EducationLevel, str] = {
    EducationLevel.SECONDARY: N_("Secondary"),
    EducationLevel.TECHNICAL_VOCATIONAL: N_("Technical and vocational"),
    EducationLevel.POST_SECONDARY: N_("Post-secondary"),
    EducationLevel.INCOMPLETE_HIGHER: N_("Incomplete higher"),
    EducationLevel.BACHELOR: N_("Bachelor"),
    EducationLevel.SPECIALIST: N_("Specialist (higher education)"),
    EducationLevel.MASTER: N_("Master"),
    EducationLevel.RESIDENCY: N_("Residency"),
    EducationLevel.PHD: N_("PhD"),
    EducationLevel.DOCTOR_BY_PROFILE: N_("Doctor by profile"),
}
KIND_LABELS: dict[EmploymentKind, str] = {
    EmploymentKind.LABOUR_CONTRACT: N_("Employment contract (in Kazakhstan or abroad)"),
    EmploymentKind.CIVIL_SERVICE: N_("Civil service"),
    EmploymentKind.MILITARY_SERVICE: N_("Military service"),
    EmploymentKind.SELF_EMPLOYMENT: N_("Self-employment"),
    EmploymentKind.CIVIL_LAW_CONTRACT: N_("Civil-law contract"),
}


def _saved_values(data: profiles.Profile) -> dict[str, Form]:
    """The forms as the candidate last saved them (the add-forms for entries start empty)."""
    forms = {name: Form() for name in SECTIONS}
    row = data.profile
    if row is not None:
        forms["contact"] = Form({"email": row.email, "phone": row.phone})
        if row.declarations_made_at is not None:
            others = [c for c in row.citizenships if c != KZ]
            forms["declarations"] = Form(
                {
                    "kz_citizen": "yes" if KZ in row.citizenships else "no",
                    "other_citizenship": others[0] if others else "",
                    "barred": ",".join(row.barred),
                }
            )
    return forms


async def _render(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    forms: dict[str, Form] | None = None,
    status_code: int = 200,
    section: str | None = None,
) -> Template:
    """The whole profile page, or only one section's fragment for a targeted htmx form."""
    data = await profiles.load_profile(db_session, signed_in(request).user_id)
    context = {
        "p": data,
        "forms": _saved_values(data) | (forms or {}),
        "levels": LEVEL_LABELS,
        "kinds": KIND_LABELS,
        "barred_labels": BARRED_LABELS,
        "barred_categories": list(BarredCategory),
    }
    name = (
        f"applications/profile/_{section}.html"
        if section and wants_partial(request)
        else "applications/profile/page.html"
    )
    return Template(name, context=context, status_code=status_code, headers=NO_STORE)


@get(PROFILE_URL, name="profile", opt=OWN)
async def profile_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    return await _render(request, db_session)


async def _save(
    request: Request[Any, Any, Any], db_session: AsyncSession, section: str, form: Form, action: Any
) -> Response[Any] | Template:
    if not form.valid:
        return await _render(request, db_session, {section: form}, 422, section)
    await action(db_session, signed_in(request).user_id, form)
    await db_session.commit()  # the flash is written by the session store on its own connection
    flash(request, _("Your profile has been saved."))
    return go_to(request, f"{PROFILE_URL}#{section}")


@post(f"{PROFILE_URL}/contact", name="profile:contact", opt=OWN, status_code=303, media_type=MediaType.HTML)
async def save_contact(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
    return await _save(
        request, db_session, "contact", contact_form(await request.form()), profiles.save_contact
    )


@post(
    f"{PROFILE_URL}/declarations",
    name="profile:declarations",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def save_declarations(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Any:
    data = await request.form()
    form = declarations_form(data, data.getall("barred") if "barred" in data else [])
    return await _save(request, db_session, "declarations", form, profiles.save_declarations)


@post(
    f"{PROFILE_URL}/education", name="profile:education", opt=OWN, status_code=303, media_type=MediaType.HTML
)
async def add_education(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Any:
    form = education_form(await request.form(), clock.today())
    return await _save(request, db_session, "education", form, profiles.add_education)


@post(
    f"{PROFILE_URL}/employment",
    name="profile:employment",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def add_employment(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Any:
    form = employment_form(await request.form(), clock.today())
    return await _save(request, db_session, "employment", form, profiles.add_employment)


async def _delete(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    model: type[EducationEntry] | type[EmploymentEntry],
    entry_id: uuid.UUID,
    section: str,
) -> Response[Any]:
    if not await profiles.delete_entry(db_session, signed_in(request).user_id, model, entry_id):
        raise NotFoundException()
    await db_session.commit()
    flash(request, _("The entry has been removed."))
    return go_to(request, f"{PROFILE_URL}#{section}")


@post(
    f"{PROFILE_URL}/education/{{entry_id:uuid}}/delete",
    name="profile:education-delete",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def delete_education(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], entry_id: FromPath[uuid.UUID]
) -> Response[Any]:
    return await _delete(request, db_session, EducationEntry, entry_id, "education")


@post(
    f"{PROFILE_URL}/employment/{{entry_id:uuid}}/delete",
    name="profile:employment-delete",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def delete_employment(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], entry_id: FromPath[uuid.UUID]
) -> Response[Any]:
    return await _delete(request, db_session, EmploymentEntry, entry_id, "employment")


PROFILE_ROUTES = [
    profile_page,
    save_contact,
    save_declarations,
    add_education,
    add_employment,
    delete_education,
    delete_employment,
]
