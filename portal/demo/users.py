"""The demo people of `make run` and of the tests: one or more for every role.

They exist in the local identity provider (`portal idp`) with a valid IIN, Kazakh names and a
birth date, and `portal demo seed` grants their roles in two regions: Astana and Karaganda Region.
"""

from dataclasses import dataclass
from datetime import date

from portal.auth.roles import Role
from portal.i18n import N_
from portal.rules.iin import check_digit

#: The regions where the demo officials hold their roles.
DEMO_REGIONS: tuple[str, ...] = ("astana", "karaganda")


def make_iin(birth: date, female: bool, serial: int) -> str:
    """A valid IIN (rules.md 5.2) for a birth date, sex and serial.

    Serials whose check digit is 10 in both passes are skipped (no such IIN is issued).
    """
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (1 if female else 0)
    while True:
        prefix = f"{birth:%y%m%d}{century}{serial:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return f"{prefix}{digit}"
        serial += 1


@dataclass(frozen=True, slots=True)
class DemoUser:
    sub: str
    given_name: str
    family_name: str
    patronymic: str
    birth_date: date
    female: bool
    serial: int
    roles: tuple[Role, ...] = ()
    #: Shown on the development sign-in page.
    note: str = ""

    @property
    def iin(self) -> str:
        return make_iin(self.birth_date, self.female, self.serial)

    def claims(self) -> dict[str, object]:
        """The claims the local provider issues for this person."""
        return {
            "iin": self.iin,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "middle_name": self.patronymic,
            "name": f"{self.family_name} {self.given_name} {self.patronymic}".strip(),
            "birthdate": self.birth_date.isoformat(),
            "email": f"{self.sub}@demo.reserve.kz",
        }


R = Role
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "candidate-aigerim",
        "Әйгерім",
        "Сапарова",
        "Болатқызы",
        date(1996, 4, 12),
        True,
        1201,
        note=N_("Candidate who meets the conditions of clause 4"),
    ),
    DemoUser(
        "candidate-nurlan",
        "Нұрлан",
        "Есенов",
        "Қайратұлы",
        date(1984, 9, 3),
        False,
        3402,
        note=N_("Candidate older than 35"),
    ),
    DemoUser(
        "tu-officer-dana", "Дана", "Жақыпова", "Серікқызы", date(1990, 1, 21), True, 2203, (R.TU_OFFICER,)
    ),
    DemoUser("tu-head-marat", "Марат", "Оспанов", "Ерланұлы", date(1978, 11, 5), False, 4104, (R.TU_HEAD,)),
    DemoUser(
        "secretary-gulnar", "Гүлнар", "Әбенова", "Маратқызы", date(1988, 6, 30), True, 5205, (R.SECRETARY,)
    ),
    DemoUser(
        "chair-askar", "Асқар", "Төлеуов", "Бекұлы", date(1970, 2, 14), False, 6306, (R.COMMISSION_CHAIR,)
    ),
    DemoUser(
        "member-aliya", "Әлия", "Қасымова", "Нұрланқызы", date(1982, 8, 8), True, 7107, (R.COMMISSION_MEMBER,)
    ),
    DemoUser(
        "member-berik",
        "Берік",
        "Жұмабаев",
        "Сәкенұлы",
        date(1975, 12, 1),
        False,
        7208,
        (R.COMMISSION_MEMBER,),
    ),
    DemoUser(
        "member-saule",
        "Сәуле",
        "Нұрмағанбетова",
        "Асанқызы",
        date(1985, 3, 17),
        True,
        7309,
        (R.COMMISSION_MEMBER,),
    ),
    DemoUser(
        "member-yerlan",
        "Ерлан",
        "Сейітов",
        "Данияұлы",
        date(1980, 7, 25),
        False,
        7410,
        (R.COMMISSION_MEMBER,),
    ),
    DemoUser(
        "observer-zhanna", "Жанна", "Ахметова", "Ерболқызы", date(1992, 10, 9), True, 8111, (R.OBSERVER,)
    ),
    DemoUser(
        "appointing-timur",
        "Тимур",
        "Бақытжанов",
        "Әділұлы",
        date(1976, 5, 19),
        False,
        8212,
        (R.APPOINTING_OFFICIAL,),
    ),
    DemoUser(
        "agency-madina",
        "Мадина",
        "Серікбаева",
        "Қанатқызы",
        date(1987, 1, 2),
        True,
        9113,
        (R.AGENCY_OFFICER,),
    ),
    DemoUser(
        "admin-daniyar", "Данияр", "Мұхамедиев", "Тимурұлы", date(1989, 4, 27), False, 9214, (R.TENANT_ADMIN,)
    ),
)


def demo_user(sub: str) -> DemoUser:
    for user in DEMO_USERS:
        if user.sub == sub:
            return user
    raise KeyError(sub)
