"""Inputs of the sign-in and role pages, checked before anything is done with them."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

from portal.auth.roles import Role, is_central
from portal.i18n import gettext as _
from portal.rules.iin import InvalidIin, parse_iin

DEFAULT_NEXT = "/me"


def safe_next(value: str | None) -> str:
    """A same-site relative path to go to after sign-in, or /me (ASVS V3.7.2: no open redirect)."""
    if not value or len(value) > 512 or any(ch in value for ch in "\\\r\n\t"):
        return DEFAULT_NEXT
    decoded = unquote(value)
    if (
        not value.startswith("/")
        or value.startswith("//")
        or decoded.startswith(("//", "/\\"))
        or "\\" in decoded
    ):
        return DEFAULT_NEXT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return value


@dataclass
class GrantRoleForm:
    iin: str = ""
    iin_confirm: str = ""
    role: str = ""
    valid_to: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: dict[str, str], today: date) -> "GrantRoleForm":
        form = cls(
            iin=data.get("iin", "").strip(),
            iin_confirm=data.get("iin_confirm", "").strip(),
            role=data.get("role", ""),
            valid_to=data.get("valid_to", "").strip(),
        )
        form._validate(today)
        return form

    def _validate(self, today: date) -> None:
        try:
            parse_iin(self.iin, today=today)
        except InvalidIin:
            self.errors["iin"] = _("Enter a valid 12-digit IIN.")
        if "iin" not in self.errors and self.iin_confirm != self.iin:
            self.errors["iin_confirm"] = _("The two IINs do not match. Type the IIN again.")
        if self.role not in {r.value for r in regional_roles()}:
            self.errors["role"] = _("Choose a role.")
        if self.valid_to:
            try:
                if date.fromisoformat(self.valid_to) < today:
                    self.errors["valid_to"] = _("The end date cannot be in the past.")
            except ValueError:
                self.errors["valid_to"] = _("Enter the date as YYYY-MM-DD.")

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def until(self) -> date | None:
        return date.fromisoformat(self.valid_to) if self.valid_to else None


def regional_roles() -> tuple[Role, ...]:
    """Roles a region's administrator grants (central roles are granted by the platform)."""
    return tuple(r for r in Role if r != Role.CANDIDATE and not is_central(r))
