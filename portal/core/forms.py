"""Small helpers for HTML forms: read a field, check it, collect a translated message per field.

Litestar's automatic body parsing answers invalid input with JSON 400; portal forms are parsed by
hand so that a mistake re-renders the form with messages and status 422 (stack-notes 7.14).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.i18n import gettext as _

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")


@dataclass
class Form:
    """Submitted values (always strings, as typed) and the errors found in them."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Mapping[str, Any], names: Iterable[str]) -> "Form":
        return cls({name: str(data.get(name, "")).strip() for name in names})

    @property
    def valid(self) -> bool:
        return not self.errors

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, *, required: bool = True, max_length: int = 300) -> str:
        value = self.get(name)
        if required and not value:
            self.error(name, _("This field is required."))
        elif len(value) > max_length:
            self.error(name, _("Use at most %(count)s characters.", count=max_length))
        return value

    def email(self, name: str) -> str:
        value = self.text(name, max_length=254)
        if value and not _EMAIL.match(value):
            self.error(name, _("Enter an e-mail address like name@example.kz."))
        return value

    def phone(self, name: str) -> str:
        value = self.text(name, max_length=20)
        if value and not _PHONE.match(value):
            self.error(name, _("Enter a phone number like +7 701 123 45 67."))
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.get(name)
        if not value:
            if required:
                self.error(name, _("Enter a date."))
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(name, _("Enter the date as YYYY-MM-DD."))
            return None

    def choice(self, name: str, options: Iterable[str]) -> str:
        value = self.get(name)
        if value not in set(options):
            self.error(name, _("Choose one of the options."))
        return value
