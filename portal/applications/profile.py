"""The candidate's profile: contacts, declarations, education and employment (issue 5 item 1).

Every function acts on the signed-in person's own rows only (the user id is the filter) and
records one audit event.
"""

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import CandidateProfile, EducationEntry, EmploymentEntry
from portal.auth.models import User
from portal.core.audit import Change, record
from portal.core.forms import Form
from portal.core.models import utcnow
from portal.rules.eligibility import KZ, EducationLevel, EmploymentKind


@dataclass(frozen=True, slots=True)
class Profile:
    user: User
    profile: CandidateProfile | None
    education: tuple[EducationEntry, ...]
    employment: tuple[EmploymentEntry, ...]


async def load_profile(session: AsyncSession, user_id: uuid.UUID) -> Profile:
    user = await session.get(User, user_id)
    if user is None:
        raise LookupError("no such user")
    profile = await session.get(CandidateProfile, user_id)
    education = (
        await session.execute(
            sa.select(EducationEntry)
            .where(col(EducationEntry.user_id) == user_id)
            .order_by(col(EducationEntry.start_date))
        )
    ).scalars()
    employment = (
        await session.execute(
            sa.select(EmploymentEntry)
            .where(col(EmploymentEntry.user_id) == user_id)
            .order_by(col(EmploymentEntry.start_date))
        )
    ).scalars()
    return Profile(user, profile, tuple(education), tuple(employment))


async def _profile_row(session: AsyncSession, user_id: uuid.UUID) -> CandidateProfile:
    row = await session.get(CandidateProfile, user_id)
    if row is None:
        row = CandidateProfile(user_id=user_id)
        session.add(row)
    return row


async def _audit(session: AsyncSession, user_id: uuid.UUID, action: str, after: dict[str, object]) -> None:
    await record(session, Change(action, "candidate_profile", str(user_id), str(user_id), after=after))


async def save_contact(session: AsyncSession, user_id: uuid.UUID, form: Form) -> None:
    row = await _profile_row(session, user_id)
    row.email, row.phone, row.updated_at = form.get("email"), form.get("phone"), utcnow()
    await session.flush()
    await _audit(
        session, user_id, "profile.contact_saved", {"email": bool(row.email), "phone": bool(row.phone)}
    )


async def save_declarations(session: AsyncSession, user_id: uuid.UUID, form: Form) -> None:
    """Citizenship (cl. 4) and the cl. 5 categories, with the time they were declared."""
    row = await _profile_row(session, user_id)
    citizenships = [KZ] if form.get("kz_citizen") == "yes" else []
    if form.get("other_citizenship"):
        citizenships.append(form.get("other_citizenship"))
    row.citizenships = citizenships
    row.barred = [b for b in form.get("barred").split(",") if b]
    row.declarations_made_at = row.updated_at = utcnow()
    await session.flush()
    await _audit(
        session, user_id, "profile.declarations_saved", {"citizenships": citizenships, "barred": row.barred}
    )


async def add_education(session: AsyncSession, user_id: uuid.UUID, form: Form) -> EducationEntry:
    entry = EducationEntry(
        user_id=user_id,
        level=EducationLevel(form.get("level")),
        institution=form.get("institution"),
        country=form.get("country"),
        start_date=date.fromisoformat(form.get("start_date")),
        end_date=date.fromisoformat(form.get("end_date")),
        diploma_number=form.get("diploma_number"),
    )
    session.add(entry)
    await session.flush()
    await _audit(
        session, user_id, "profile.education_added", {"level": entry.level, "country": entry.country}
    )
    return entry


async def add_employment(session: AsyncSession, user_id: uuid.UUID, form: Form) -> EmploymentEntry:
    end = form.get("end_date")
    entry = EmploymentEntry(
        user_id=user_id,
        employer=form.get("employer"),
        position=form.get("position"),
        sector=form.get("sector"),
        kind=EmploymentKind(form.get("kind")),
        start_date=date.fromisoformat(form.get("start_date")),
        end_date=date.fromisoformat(end) if end else None,
    )
    session.add(entry)
    await session.flush()
    await _audit(
        session, user_id, "profile.employment_added", {"kind": entry.kind, "start": entry.start_date}
    )
    return entry


async def delete_entry(
    session: AsyncSession,
    user_id: uuid.UUID,
    model: type[EducationEntry] | type[EmploymentEntry],
    entry_id: uuid.UUID,
) -> bool:
    """Remove one of the person's own entries; another person's id is simply not found."""
    entry: EducationEntry | EmploymentEntry | None = await session.get(model, entry_id)
    if entry is None or entry.user_id != user_id:
        return False
    await session.delete(entry)
    await session.flush()
    await _audit(session, user_id, f"profile.{model.__tablename__}_deleted", {"id": str(entry_id)})
    return True
