"""The individual identification number, IIN / ЖСН / ИИН (rules.md 5.2).

Twelve digits: YYMMDD birth date, one century-and-sex digit (1-6), a four-digit serial and a
check digit computed with the two-pass modulus-11 rule. A number whose second pass also gives 10
has no valid check digit and is never issued (rules.md 5.2 step 3); it is rejected, never "fixed"
to 0.

Known weakness, kept on purpose (rules.md 5.2): the pass-1 weight of position 11 is 11 = 0 (mod 11),
so a typo in the 11th digit goes unnoticed whenever pass 1 does not give 10. Never trust a typed
IIN; take it from the identity provider or the signing certificate.

An IIN does not prove citizenship (rules.md A-29): it is issued to resident foreigners as well.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "IIN_LENGTH",
    "Iin",
    "IinError",
    "InvalidIin",
    "Sex",
    "check_digit",
    "has_valid_checksum",
    "is_valid_iin",
    "mask_iin",
    "parse_iin",
]

IIN_LENGTH = 12
_PASS_1_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_PASS_2_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY_START = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


class Sex(StrEnum):
    """Sex encoded by the 7th digit: odd = male, even = female (rules.md 5.2)."""

    M = "M"
    F = "F"


class IinError(StrEnum):
    """Why an IIN was rejected (rules.md 5.2, "Rules for the software")."""

    FORMAT = "FORMAT"  # not exactly 12 ASCII digits
    CENTURY = "CENTURY"  # 7th digit not 1-6
    DATE = "DATE"  # no such calendar date, or a birth date after `today`
    CHECKSUM = "CHECKSUM"  # wrong check digit, or no check digit exists (double 10)


class InvalidIin(ValueError):  # noqa: N818 - the name is the public API of issue 3
    """An IIN that fails the rules of rules.md 5.2; `code` says which one."""

    def __init__(self, code: IinError, message: str) -> None:
        self.code = code
        super().__init__(f"{code.value}: {message}")


@dataclass(frozen=True, slots=True)
class Iin:
    """A valid IIN with the birth date and sex it encodes (rules.md 5.2).

    The repr shows only the masked number, so that an IIN does not leak into logs.
    """

    value: str = field(repr=False)
    birth_date: date
    sex: Sex

    @property
    def masked(self) -> str:
        """The number masked for logs, e.g. 9005******34 (rules.md 5.2, 5.11)."""
        return mask_iin(self.value)

    def __str__(self) -> str:
        return self.masked


def _digits(value: str) -> bool:
    return len(value) == IIN_LENGTH and value.isascii() and value.isdigit()


def check_digit(prefix: str) -> int | None:
    """The check digit for the first 11 digits, or None when both passes give 10 (rules.md 5.2).

    Pass 1 weights 1..11; if the remainder mod 11 is 10, pass 2 weights 3..11, 1, 2; if that is
    10 as well, no check digit exists and every number with this prefix is invalid.
    """
    if len(prefix) != IIN_LENGTH - 1 or not (prefix.isascii() and prefix.isdigit()):
        raise ValueError("an IIN prefix is exactly 11 ASCII digits")
    digits = [ord(c) - 48 for c in prefix]
    k = sum(d * w for d, w in zip(digits, _PASS_1_WEIGHTS, strict=True)) % 11
    if k == 10:
        k = sum(d * w for d, w in zip(digits, _PASS_2_WEIGHTS, strict=True)) % 11
    return None if k == 10 else k


def has_valid_checksum(value: str) -> bool:
    """Whether a 12-digit string carries the right check digit (rules.md 5.2, checksum only)."""
    if not _digits(value):
        return False
    expected = check_digit(value[:11])
    return expected is not None and expected == ord(value[11]) - 48


def parse_iin(value: str, *, today: date | None = None) -> Iin:
    """Validate an IIN and decode birth date and sex (rules.md 5.2).

    Checks, in this order: format (12 ASCII digits, nothing stripped) -> century digit 1-6 ->
    a real calendar date, not after `today` when given -> the two-pass checksum. Raises
    `InvalidIin` with the code of the first failure.
    """
    if not isinstance(value, str) or not _digits(value):
        raise InvalidIin(IinError.FORMAT, "an IIN is exactly 12 digits")
    century_digit = ord(value[6]) - 48
    century = _CENTURY_START.get(century_digit)
    if century is None:
        raise InvalidIin(IinError.CENTURY, "the 7th digit must be 1 to 6")
    try:
        birth = date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise InvalidIin(IinError.DATE, "the first six digits are not a calendar date") from None
    if today is not None and birth > today:
        raise InvalidIin(IinError.DATE, "the birth date is in the future")
    if not has_valid_checksum(value):
        raise InvalidIin(IinError.CHECKSUM, "the check digit does not match")
    return Iin(value=value, birth_date=birth, sex=Sex.M if century_digit % 2 else Sex.F)


def is_valid_iin(value: str, *, today: date | None = None) -> bool:
    """Whether `parse_iin` accepts the value (rules.md 5.2)."""
    try:
        parse_iin(value, today=today)
    except InvalidIin:
        return False
    return True


def mask_iin(value: str) -> str:
    """Mask an IIN for logs and screens: first 4 and last 2 digits kept (rules.md 5.2, 5.11).

    `mask_iin("900515301234") == "9005******34"`. Anything that is not 12 digits is masked
    completely (same length), so a malformed value never leaks either.
    """
    if _digits(value):
        return f"{value[:4]}******{value[-2:]}"
    return "*" * len(value)
