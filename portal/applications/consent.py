"""The consent of cl. 9, versioned: an application records which text was accepted and when.

A new wording is a new version; old versions stay here so a past consent can always be shown.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConsentText:
    version: str
    kk: str
    ru: str
    en: str

    def text(self, language: str) -> str:
        return {"ru": self.ru, "en": self.en}.get(language, self.kk)


CONSENTS: dict[str, ConsentText] = {
    "2026-01": ConsentText(
        version="2026-01",
        kk=(
            "Мен өңірлік кадр резервін қалыптастыру қағидаларымен (Қазақстан Республикасы Президентінің "
            "2023 жылғы 15 маусымдағы № 255 Жарлығы) таныстым және оларды қабылдаймын. Осы іріктеуді "
            "өткізу, өңірлік кадр резервін қалыптастыру және одан тағайындау мақсатында дербес "
            "деректерімді (ЖСН, тегі, аты, әкесінің аты, туған күні, байланыс деректері, білімі мен еңбек "
            "қызметі туралы мәліметтер және берілген құжаттар) жинауға және өңдеуге «Дербес деректер және "
            "оларды қорғау туралы» Қазақстан Республикасының Заңына сәйкес келісім беремін (Қағидалардың "
            "9-тармағы)."
        ),
        ru=(
            "Я ознакомлен(а) с Правилами формирования регионального кадрового резерва (Указ Президента "
            "Республики Казахстан от 15 июня 2023 года № 255) и принимаю их. Даю согласие на сбор и "
            "обработку моих персональных данных (ИИН, фамилия, имя, отчество, дата рождения, контактные "
            "данные, сведения об образовании и трудовой деятельности и представленные документы) в целях "
            "проведения настоящего отбора, формирования регионального кадрового резерва и назначения из "
            "него в соответствии с Законом Республики Казахстан «О персональных данных и их защите» "
            "(пункт 9 Правил)."
        ),
        en=(
            "I have read and accept the Rules for forming the regional personnel reserve (Decree of the "
            "President of the Republic of Kazakhstan No. 255 of 15 June 2023). I consent to the collection "
            "and processing of my personal data (IIN, surname, first name, patronymic, date of birth, "
            "contact details, information about my education and work, and the documents I submit) for "
            "this selection, for forming the regional personnel reserve and for appointments from it, "
            "under the Law of the Republic of Kazakhstan on personal data and their protection "
            "(clause 9 of the Rules)."
        ),
    )
}
CURRENT_CONSENT = "2026-01"


def current_consent() -> ConsentText:
    return CONSENTS[CURRENT_CONSENT]
