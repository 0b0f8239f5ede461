"""Users and roles: sign-in from verified claims, principals for requests, granting and revoking.

Each function is one transaction's worth of work inside the caller's session, and writes one
audit event per state change.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.auth.models import RoleAssignment, User
from portal.auth.policies import Grant, Principal
from portal.auth.roles import Role, is_central
from portal.core.audit import Change, record
from portal.core.models import utcnow
from portal.rules.iin import mask_iin


@dataclass(frozen=True, slots=True)
class VerifiedIdentity:
    """What the identity provider vouched for (portal.auth.oidc.Identity has these fields)."""

    issuer: str
    sub: str
    iin: str
    given_name: str
    family_name: str
    patronymic: str
    birth_date: date
    email: str | None


class RoleError(ValueError):
    """A grant or revocation that cannot be done; `code` names the reason for the form."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def sign_in(session: AsyncSession, identity: VerifiedIdentity, now: datetime | None = None) -> User:
    """Create or refresh the user of a verified identity (keyed by IIN) and record the sign-in."""
    now = now or utcnow()
    user = (await session.execute(sa.select(User).where(col(User.iin) == identity.iin))).scalar_one_or_none()
    fields = {
        "issuer": identity.issuer,
        "sub": identity.sub,
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "patronymic": identity.patronymic,
        "birth_date": identity.birth_date,
        "email": identity.email,
    }
    action = "user.signed_in"
    if user is None:
        user = User(iin=identity.iin, last_login_at=now, **fields)  # type: ignore[arg-type]
        session.add(user)
        action = "user.created"
    else:
        for key, value in fields.items():
            setattr(user, key, value)
        user.last_login_at = now
    await session.flush()
    await record(
        session,
        Change(
            action,
            "user",
            str(user.id),
            str(user.id),
            after={"iin": mask_iin(identity.iin), "sub": identity.sub},
        ),
    )
    return user


def _principal_statement() -> sa.Select[*tuple[Any, ...]]:
    return (
        sa.select(
            col(User.iin),
            col(User.family_name),
            col(User.given_name),
            col(User.patronymic),
            col(User.birth_date),
            col(User.active),
            col(RoleAssignment.role),
            col(RoleAssignment.tenant_id),
            col(RoleAssignment.valid_from),
            col(RoleAssignment.valid_to),
        )
        .outerjoin(
            RoleAssignment,
            sa.and_(col(RoleAssignment.iin) == col(User.iin), col(RoleAssignment.revoked_at).is_(None)),
        )
        .where(col(User.id) == sa.bindparam("user_id"))
    )


#: Built once: constructing the statement cost more than running it (issue 9, "Second pass").
_PRINCIPAL = _principal_statement()


async def load_principal(session: AsyncSession, user_id: uuid.UUID, today: date) -> Principal | None:
    """The active user and the grants in force today, in one statement of plain columns.

    Every signed-in request runs it (`portal.auth.middleware`): the user joined to their unrevoked
    assignments, no ORM objects (issue 9, docs/performance.md "Second pass"). Whether a grant is in
    force today is decided here, as `RoleAssignment.in_force_on` does.
    """
    rows = (await session.execute(_PRINCIPAL, {"user_id": user_id})).all()
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    grants = frozenset(
        Grant(row.role, row.tenant_id)
        for row in rows
        if row.role is not None
        and row.valid_from <= today
        and (row.valid_to is None or today <= row.valid_to)
    )
    name = " ".join(part for part in (first.family_name, first.given_name, first.patronymic) if part)
    return Principal(user_id, first.iin, name, first.birth_date, grants)


async def active_assignments(session: AsyncSession, tenant_id: str | None) -> list[RoleAssignment]:
    """Unrevoked assignments of a region (or the central ones), for the administration page."""
    condition = (
        col(RoleAssignment.tenant_id).is_(None)
        if tenant_id is None
        else col(RoleAssignment.tenant_id) == tenant_id
    )
    rows = await session.execute(
        sa.select(RoleAssignment)
        .where(condition, col(RoleAssignment.revoked_at).is_(None))
        .order_by(col(RoleAssignment.role), col(RoleAssignment.granted_at))
    )
    return list(rows.scalars())


async def grant_role(
    session: AsyncSession,
    *,
    iin: str,
    role: Role,
    tenant_id: str | None,
    actor: str,
    valid_from: date,
    valid_to: date | None = None,
) -> RoleAssignment:
    """Grant a role to an IIN (whether or not its holder has signed in yet)."""
    if role == Role.CANDIDATE:
        raise RoleError("not_grantable")
    if is_central(role) != (tenant_id is None):
        raise RoleError("central_role" if is_central(role) else "regional_role")
    if valid_to is not None and valid_to < valid_from:
        raise RoleError("dates")
    scope = (
        col(RoleAssignment.tenant_id).is_(None)
        if tenant_id is None
        else col(RoleAssignment.tenant_id) == tenant_id
    )
    duplicate = await session.execute(
        sa.select(col(RoleAssignment.id)).where(
            col(RoleAssignment.iin) == iin,
            col(RoleAssignment.role) == role,
            scope,
            col(RoleAssignment.revoked_at).is_(None),
        )
    )
    if duplicate.first() is not None:
        raise RoleError("duplicate")
    assignment = RoleAssignment(
        iin=iin, role=role, tenant_id=tenant_id, valid_from=valid_from, valid_to=valid_to, granted_by=actor
    )
    session.add(assignment)
    await session.flush()
    await record(
        session,
        Change(
            "role.granted",
            "role_assignment",
            str(assignment.id),
            actor,
            tenant_id,
            after={"iin": mask_iin(iin), "role": role, "valid_from": valid_from, "valid_to": valid_to},
        ),
    )
    return assignment


async def revoke_role(
    session: AsyncSession, *, assignment_id: uuid.UUID, tenant_id: str | None, actor: str
) -> RoleAssignment:
    """Revoke an assignment of this region (an id of another region is simply not found)."""
    assignment = await session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.tenant_id != tenant_id or assignment.revoked_at is not None:
        raise RoleError("not_found")
    assignment.revoked_at, assignment.revoked_by = utcnow(), actor
    await session.flush()
    await record(
        session,
        Change(
            "role.revoked",
            "role_assignment",
            str(assignment.id),
            actor,
            tenant_id,
            before={"iin": mask_iin(assignment.iin), "role": assignment.role},
        ),
    )
    return assignment
