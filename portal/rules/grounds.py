"""The grounds of cl. 13 (refusal of admission to a selection, removal from any stage) and of
cl. 18 (exclusion from the regional reserve), with their titles, legal bases and evidence.

Titles: kk follows the Rules (seed text) and the glossary of rules.md 6.5, where the glossary's
"…" in 18(8) and 18(11) is filled with "on the cited grounds" (kk) or the code cited (ru); the
grounds themselves are spelt out in `legal_basis` and `sub_bases`. ru is standard Kazakhstani
legal usage, not yet checked against the official Russian text (rules.md 0.2 item 1); en is the
rules.md paraphrase. `wording_kk` is the clause's own text, with the adilet export defects of
rules.md 0.3 repaired. Legal bases whose content was not verified carry `confirmed=False`
(rules.md 0.2 items 2-4, 5.4-5.6); replace their summaries with the verbatim current text
before go-live (rules.md 8, question 11).
"""

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "EvidenceKind",
    "ExclusionGround",
    "GroundInfo",
    "LegalAct",
    "LegalBasis",
    "RefusalGround",
    "SubBasis",
    "Titles",
]


@dataclass(frozen=True, slots=True)
class Titles:
    """One text in the three UI languages (rules.md 6, A-32)."""

    kk: str
    ru: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang` ("kk", "ru" or "en"); Kazakh for anything else (kk is primary, A-38)."""
        return {"ru": self.ru, "en": self.en}.get(lang, self.kk)


class LegalAct(StrEnum):
    """The acts the grounds cite (rules.md 5.4-5.6)."""

    CIVIL_SERVICE_LAW = "civil_service_law"  # Law "On Civil Service of the RK", 23.11.2015 No. 416-V
    CRIMINAL_PROCEDURE_CODE = "criminal_procedure_code"  # CPC of the RK, 04.07.2014 No. 231-V
    LABOUR_CODE = "labour_code"  # Labour Code of the RK, 23.11.2015 No. 414-V


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A provision of another act cited by a ground: act, article, part/paragraph, items, citation."""

    act: LegalAct
    article: str
    part: str
    items: tuple[str, ...]
    citation: Titles
    confirmed: bool


@dataclass(frozen=True, slots=True)
class SubBasis:
    """One alternative limb of a ground the officer must pick (cl. 18(8), cl. 18(11); rules.md 1.6)."""

    code: str
    legal_basis: LegalBasis | None
    summary_en: str
    summary_ru: str
    confirmed: bool


class EvidenceKind(StrEnum):
    """The document a ground must be supported by (rules.md 1.3, 1.6, A-24)."""

    DOCUMENT_REVIEW = "document_review"  # TU finding from the cl. 8 documents or the cl. 4/5 check
    PROOF_OF_UNRELIABILITY = "proof_of_unreliability"  # the false document and the proof (e.g. issuer reply)
    BACKGROUND_CHECK_CONCLUSION = "background_check_conclusion"  # cl. 11 replies of state bodies
    MEMBER_SIGNED_REQUEST = "member_signed_request"
    OFFICIAL_NOTICE = "official_notice"  # of the loss of citizenship
    FOREIGN_CITIZENSHIP_EVIDENCE = "foreign_citizenship_evidence"  # declaration or official notice
    DISCIPLINARY_ORDER = "disciplinary_order"
    ASSESSMENT_RESULT_AND_ORDER = "assessment_result_and_order"
    ADMINISTRATIVE_RESOLUTION_IN_FORCE = "administrative_resolution_in_force"
    VERDICT_OR_RELEASE_DECISION_IN_FORCE = "verdict_or_release_decision_in_force"
    WRITTEN_REFUSAL = "written_refusal"  # of the anti-corruption restrictions
    COURT_DECISION_IN_FORCE = "court_decision_in_force"
    DISMISSAL_OR_TERMINATION_ORDER = "dismissal_or_termination_order"


@dataclass(frozen=True, slots=True)
class GroundInfo:
    """Everything the portal shows or checks for one ground.

    `clause` is the citation form ("13(1)", "18(11)"); `needs_entry_into_force_date`: the
    evidence must carry the date it entered into force; `civil_servants_only`: warn if the member
    holds no civil-service post (rules.md 1.6, 18(4)-(5)); `act_within_membership`: the act must
    fall inside the membership period (rules.md A-24).
    """

    clause: str
    title: Titles
    wording_kk: str
    legal_basis: tuple[LegalBasis, ...]
    sub_bases: tuple[SubBasis, ...]
    evidence: EvidenceKind
    needs_entry_into_force_date: bool = False
    civil_servants_only: bool = False
    act_within_membership: bool = False


class _Ground(StrEnum):
    @property
    def info(self) -> GroundInfo:
        """The ground's data (rules.md 1.3 cl. 13, 1.6 cl. 18)."""
        return _INFO[self.value]

    @property
    def clause(self) -> str:
        """The citation form of the clause, e.g. "13(2)" or "18(8)"."""
        return self.info.clause

    @property
    def title_kk(self) -> str:
        """The Kazakh title (the Rules' wording, rules.md 6.5)."""
        return self.info.title.kk

    @property
    def title_ru(self) -> str:
        """The Russian title (rules.md 6.5, unverified against the official ru text)."""
        return self.info.title.ru

    @property
    def title_en(self) -> str:
        """The English title (rules.md 1.3, 1.6, 6.5)."""
        return self.info.title.en

    @property
    def legal_basis(self) -> tuple[LegalBasis, ...]:
        """The provisions of other acts the clause cites (empty when it cites none)."""
        return self.info.legal_basis

    @property
    def sub_bases(self) -> tuple[SubBasis, ...]:
        """The limbs the officer must choose between (cl. 18(8), 18(11)); empty otherwise."""
        return self.info.sub_bases

    @property
    def evidence(self) -> EvidenceKind:
        """The kind of evidence the ground needs."""
        return self.info.evidence

    def title_in(self, lang: str) -> str:
        """The title in "kk", "ru" or "en"."""
        return self.info.title.get(lang)


class RefusalGround(_Ground):
    """Grounds for refusing admission to a selection and for removal from any stage (cl. 13)."""

    NON_COMPLIANCE_WITH_RULES = "13.1"
    UNRELIABLE_INFORMATION = "13.2"
    NON_COMPLIANCE_WITH_ART_16_3 = "13.3"


class ExclusionGround(_Ground):
    """Grounds for exclusion from the regional reserve on the TU's proposal (cl. 18(1)-(11))."""

    AT_OWN_WISH = "18.1"
    LOSS_OF_CITIZENSHIP = "18.2"
    FOREIGN_CITIZENSHIP = "18.3"
    DISCREDITING_DISCIPLINARY_OFFENCE = "18.4"
    DEMOTION_OR_DISMISSAL_AFTER_ASSESSMENT = "18.5"
    PUBLIC_ORDER_MORALITY_OFFENCE = "18.6"
    ADMINISTRATIVE_CORRUPTION_OFFENCE = "18.7"
    CRIME_OR_RELEASE_FROM_LIABILITY = "18.8"
    REFUSAL_OF_ANTI_CORRUPTION_RESTRICTIONS = "18.9"
    LEGAL_INCAPACITY = "18.10"
    NEGATIVE_GROUNDS_DISMISSAL = "18.11"


# --- legal bases (rules.md 5.4-5.6) -------------------------------------------------------------

_ART_16_3 = LegalBasis(
    act=LegalAct.CIVIL_SERVICE_LAW,
    article="16",
    part="3",
    items=(),
    citation=Titles(
        kk="«Қазақстан Республикасының мемлекеттік қызметі туралы» Қазақстан Республикасы Заңының "
        "16-бабының 3-тармағы",
        ru="пункт 3 статьи 16 Закона Республики Казахстан «О государственной службе Республики Казахстан»",
        en='Law of the RK "On Civil Service of the RK", art. 16 para. 3',
    ),
    confirmed=False,
)


def _cpc_35(item: str, confirmed: bool) -> LegalBasis:
    return LegalBasis(
        act=LegalAct.CRIMINAL_PROCEDURE_CODE,
        article="35",
        part="1",
        items=(item,),
        citation=Titles(
            kk=f"Қазақстан Республикасы Қылмыстық-процестік кодексінің 35-бабы бірінші бөлігінің "
            f"{item}) тармағы",
            ru=f"пункт {item}) части первой статьи 35 Уголовно-процессуального кодекса Республики Казахстан",
            en=f"CPC of the RK art. 35 part 1 item {item}",
        ),
        confirmed=confirmed,
    )


_CPC_36 = LegalBasis(
    act=LegalAct.CRIMINAL_PROCEDURE_CODE,
    article="36",
    part="",
    items=(),
    citation=Titles(
        kk="Қазақстан Республикасы Қылмыстық-процестік кодексінің 36-бабы",
        ru="статья 36 Уголовно-процессуального кодекса Республики Казахстан",
        en="CPC of the RK art. 36",
    ),
    confirmed=False,
)


def _lc_52(item: str, confirmed: bool) -> LegalBasis:
    return LegalBasis(
        act=LegalAct.LABOUR_CODE,
        article="52",
        part="1",
        items=(item,),
        citation=Titles(
            kk=f"Қазақстан Республикасы Еңбек кодексінің 52-бабы 1-тармағының {item}) тармақшасы",
            ru=f"подпункт {item}) пункта 1 статьи 52 Трудового кодекса Республики Казахстан",
            en=f"Labour Code of the RK art. 52 para. 1 subpara. {item}",
        ),
        confirmed=confirmed,
    )


_CPC_ITEMS = ("3", "4", "9", "10", "12")
_LC_ITEMS = ("9", "10", "12", "13", "14", "15", "17")

_CPC_35_ALL = LegalBasis(
    act=LegalAct.CRIMINAL_PROCEDURE_CODE,
    article="35",
    part="1",
    items=_CPC_ITEMS,
    citation=Titles(
        kk="Қазақстан Республикасы Қылмыстық-процестік кодексінің 35-бабы бірінші бөлігінің "
        "3), 4), 9), 10) және 12) тармақтары",
        ru="пункты 3), 4), 9), 10) и 12) части первой статьи 35 Уголовно-процессуального кодекса "
        "Республики Казахстан",
        en="CPC of the RK art. 35 part 1 items 3, 4, 9, 10 and 12",
    ),
    confirmed=False,  # item 12 unconfirmed (rules.md 5.6)
)

_LC_52_ALL = LegalBasis(
    act=LegalAct.LABOUR_CODE,
    article="52",
    part="1",
    items=_LC_ITEMS,
    citation=Titles(
        kk="Қазақстан Республикасы Еңбек кодексінің 52-бабы 1-тармағының "
        "9), 10), 12), 13), 14), 15) және 17) тармақшалары",
        ru="подпункты 9), 10), 12), 13), 14), 15) и 17) пункта 1 статьи 52 Трудового кодекса "
        "Республики Казахстан",
        en="Labour Code of the RK art. 52 para. 1 subparas 9, 10, 12, 13, 14, 15 and 17",
    ),
    confirmed=False,  # subparas 12-17 unconfirmed (rules.md 5.5)
)

# cl. 18(8): the conviction limb and the release limbs (rules.md 5.6).
_SUB_18_8 = (
    SubBasis(
        code="conviction",
        legal_basis=None,
        summary_en="Committed a crime or criminal misdemeanour while in the reserve (verdict in force).",
        summary_ru="Совершение преступления или уголовного проступка в период нахождения в региональном "
        "резерве (приговор вступил в законную силу).",
        confirmed=True,
    ),
    SubBasis(
        code="cpc-35-1-3",
        legal_basis=_cpc_35("3", confirmed=True),
        summary_en="Released from criminal liability: terminated under an amnesty act.",
        summary_ru="Освобождение от уголовной ответственности вследствие акта амнистии.",
        confirmed=True,
    ),
    SubBasis(
        code="cpc-35-1-4",
        legal_basis=_cpc_35("4", confirmed=True),
        summary_en="Released from criminal liability: the limitation period for prosecution expired.",
        summary_ru="Освобождение от уголовной ответственности в связи с истечением сроков давности.",
        confirmed=True,
    ),
    SubBasis(
        code="cpc-35-1-9",
        legal_basis=_cpc_35("9", confirmed=True),
        summary_en="The act prohibited by criminal law was committed in a state of insanity.",
        summary_ru="Деяние, запрещённое уголовным законом, совершено в состоянии невменяемости.",
        confirmed=True,
    ),
    SubBasis(
        code="cpc-35-1-10",
        legal_basis=_cpc_35("10", confirmed=True),
        summary_en="Consent to prosecute a person with privileges or immunity was refused.",
        summary_ru="Отказ в даче согласия на привлечение к уголовной ответственности лица, обладающего "
        "привилегиями или иммунитетом.",
        confirmed=True,
    ),
    SubBasis(
        code="cpc-35-1-12",
        legal_basis=_cpc_35("12", confirmed=False),
        summary_en="Released from criminal liability under CPC art. 35 part 1 item 12 (text to be verified).",
        summary_ru="Освобождение от уголовной ответственности по пункту 12) части первой статьи 35 УПК "
        "(текст подлежит проверке).",
        confirmed=False,
    ),
    SubBasis(
        code="cpc-36",
        legal_basis=_CPC_36,
        summary_en="Case terminated with release from criminal liability (CPC art. 36), e.g. active "
        "repentance or reconciliation with the victim.",
        summary_ru="Прекращение дела с освобождением от уголовной ответственности (статья 36 УПК).",
        confirmed=False,
    ),
)

# cl. 18(11): dismissal on negative grounds, or the listed Labour Code subparas (rules.md 5.5).
_LC_SUMMARIES = {
    "9": (
        "Appearing at work intoxicated (alcohol, drugs, psychotropic or toxic substances), including "
        "consuming them during working time.",
        "появление на работе в состоянии опьянения",
        True,
    ),
    "10": (
        "Refusing a medical examination to establish intoxication.",
        "отказ от прохождения медицинского освидетельствования на состояние опьянения",
        True,
    ),
    "12": (
        "Theft of property at the workplace, or its intentional destruction or damage, established by "
        "a verdict or an authorised body's decision.",
        "хищение (порча) имущества по месту работы",
        False,
    ),
    "13": (
        "Acts or omissions of an employee handling money or goods that give grounds for loss of trust.",
        "утрата доверия (работник, обслуживающий денежные/товарные ценности)",
        False,
    ),
    "14": (
        "An immoral act by an employee performing educational functions.",
        "аморальный проступок работника, выполняющего воспитательные функции",
        False,
    ),
    "15": (
        "Disclosure of state secrets or other legally protected secrets.",
        "разглашение государственных секретов или иной охраняемой законом тайны",
        False,
    ),
    "17": (
        "Giving the employer knowingly false documents or information on hiring or transfer.",
        "представление заведомо ложных документов или сведений",
        False,
    ),
}

_SUB_18_11 = (
    SubBasis(
        code="negative-grounds",
        legal_basis=None,
        summary_en="Dismissed on negative grounds under the laws of the RK.",
        summary_ru="Увольнение по отрицательным мотивам в соответствии с законами Республики Казахстан.",
        confirmed=True,
    ),
    *(
        SubBasis(
            code=f"lc-52-1-{item}",
            legal_basis=_lc_52(item, confirmed=_LC_SUMMARIES[item][2]),
            summary_en=_LC_SUMMARIES[item][0],
            summary_ru=_LC_SUMMARIES[item][1],
            confirmed=_LC_SUMMARIES[item][2],
        )
        for item in _LC_ITEMS
    ),
)


def _same(kk: str, ru: str, en: str) -> tuple[Titles, str]:
    """Title and clause wording are the same text (the item is short)."""
    return Titles(kk=kk, ru=ru, en=en), kk


_T13_1, _W13_1 = _same(
    "кандидаттың осы Қағидаларды сақтамауы",
    "несоблюдение кандидатом настоящих Правил",
    "the candidate's non-compliance with these Rules",
)
_T13_2, _W13_2 = _same(
    "анық емес ақпаратты және құжаттарды ұсынуы",
    "представление недостоверных сведений и документов",
    "submission of unreliable (false) information and documents",
)
_T13_3, _W13_3 = _same(
    "кандидаттардың «Қазақстан Республикасының мемлекеттік қызметі туралы» Қазақстан Республикасы "
    "Заңының 16-бабы 3-тармағының талаптарына сәйкес еместігі",
    "несоответствие кандидата требованиям пункта 3 статьи 16 Закона Республики Казахстан "
    "«О государственной службе Республики Казахстан»",
    "the candidate's non-compliance with art. 16 para. 3 of the Law on Civil Service",
)

_INFO: dict[str, GroundInfo] = {
    "13.1": GroundInfo(
        clause="13(1)",
        title=_T13_1,
        wording_kk=_W13_1,
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.DOCUMENT_REVIEW,
    ),
    "13.2": GroundInfo(
        clause="13(2)",
        title=_T13_2,
        wording_kk=_W13_2,
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.PROOF_OF_UNRELIABILITY,
    ),
    "13.3": GroundInfo(
        clause="13(3)",
        title=_T13_3,
        wording_kk=_W13_3,
        legal_basis=(_ART_16_3,),
        sub_bases=(),
        evidence=EvidenceKind.BACKGROUND_CHECK_CONCLUSION,
    ),
    "18.1": GroundInfo(
        clause="18(1)",
        title=Titles("өз қалауы бойынша", "по собственному желанию", "at own wish"),
        wording_kk="өз қалауы бойынша",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.MEMBER_SIGNED_REQUEST,
    ),
    "18.2": GroundInfo(
        clause="18(2)",
        title=Titles(
            "Қазақстан Республикасының азаматтығын жоғалтқанда",
            "утрата гражданства Республики Казахстан",
            "loss of citizenship of the RK",
        ),
        wording_kk="Қазақстан Республикасының азаматтығын жоғалтқанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.OFFICIAL_NOTICE,
    ),
    "18.3": GroundInfo(
        clause="18(3)",
        title=Titles(
            "шет мемлекеттің азаматтығы болғанда",
            "наличие гражданства иностранного государства",
            "holding a foreign citizenship",
        ),
        wording_kk="шет мемлекеттің азаматтығы болғанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.FOREIGN_CITIZENSHIP_EVIDENCE,
    ),
    "18.4": GroundInfo(
        clause="18(4)",
        title=Titles(
            "мемлекеттік қызметке кір келтіретін тәртіптік теріс қылық жасағанда",
            "совершение дисциплинарного проступка, дискредитирующего государственную службу",
            "disciplinary offence discrediting the civil service",
        ),
        wording_kk="мемлекеттік қызметке кір келтіретін тәртіптік теріс қылық жасағанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.DISCIPLINARY_ORDER,
        civil_servants_only=True,
    ),
    "18.5": GroundInfo(
        clause="18(5)",
        title=Titles(
            "қызметінің тиімділігін бағалау негізінде лауазымы төмендетілгенде не одан шығарылғанда",
            "понижение в должности либо увольнение по результатам оценки эффективности деятельности",
            "demotion or dismissal on the basis of performance assessment",
        ),
        wording_kk="қызметінің тиімділігін бағалау негізінде лауазымы төмендетілгенде не одан шығарылғанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.ASSESSMENT_RESULT_AND_ORDER,
        civil_servants_only=True,
    ),
    "18.6": GroundInfo(
        clause="18(6)",
        title=Titles(
            "қоғамдық тәртіп пен имандылыққа қол сұғатын құқық бұзушылықтар үшін әкімшілік "
            "жауаптылыққа тартылғанда",
            "привлечение к административной ответственности за правонарушения, посягающие на "
            "общественный порядок и нравственность",
            "administrative liability for offences against public order and morality",
        ),
        wording_kk="қоғамдық тәртіп пен имандылыққа қол сұғатын құқық бұзушылықтар үшін әкімшілік "
        "жауаптылыққа тартылғанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE,
        needs_entry_into_force_date=True,
    ),
    "18.7": GroundInfo(
        clause="18(7)",
        title=Titles(
            "әкімшілік сыбайлас жемқорлық құқық бұзушылық жасағанда",
            "совершение административного коррупционного правонарушения",
            "administrative corruption offence",
        ),
        wording_kk="әкімшілік сыбайлас жемқорлық құқық бұзушылық жасағанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE,
        needs_entry_into_force_date=True,
    ),
    "18.8": GroundInfo(
        clause="18(8)",
        title=Titles(
            "қылмыс немесе қылмыстық теріс қылық жасағанда не көрсетілген негіздер бойынша қылмыстық "
            "жауаптылықтан босатылғанда",
            "совершение преступления или уголовного проступка либо освобождение от уголовной "
            "ответственности по основаниям, предусмотренным Уголовно-процессуальным кодексом "
            "Республики Казахстан",
            "crime or criminal misdemeanour, or release from criminal liability on the cited grounds",
        ),
        wording_kk="өңірлік резервте болу кезеңінде қылмыс немесе қылмыстық теріс қылық жасағанда не "
        "қылмыс немесе қылмыстық теріс қылық жасағаны үшін қылмыстық жауаптылықтан Қазақстан "
        "Республикасы Қылмыстық-процестік кодексінің 35-бабы бірінші бөлігінің 3), 4), 9), 10) және "
        "12) тармақтарының немесе 36-бабының негізінде босатылғанда",
        legal_basis=(_CPC_35_ALL, _CPC_36),
        sub_bases=_SUB_18_8,
        evidence=EvidenceKind.VERDICT_OR_RELEASE_DECISION_IN_FORCE,
        needs_entry_into_force_date=True,
        act_within_membership=True,
    ),
    "18.9": GroundInfo(
        clause="18(9)",
        title=Titles(
            "сыбайлас жемқорлыққа қарсы шектеулерді өзіне қабылдаудан бас тартқанда",
            "отказ от принятия антикоррупционных ограничений",
            "refusal to accept anti-corruption restrictions",
        ),
        wording_kk="сыбайлас жемқорлыққа қарсы шектеулерді өзіне қабылдаудан бас тартқанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.WRITTEN_REFUSAL,
    ),
    "18.10": GroundInfo(
        clause="18(10)",
        title=Titles(
            "сот әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп танығанда",
            "признание судом недееспособным или ограниченно дееспособным",
            "declared legally incapable or of limited capacity by a court",
        ),
        wording_kk="сот әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп танығанда",
        legal_basis=(),
        sub_bases=(),
        evidence=EvidenceKind.COURT_DECISION_IN_FORCE,
        needs_entry_into_force_date=True,
    ),
    "18.11": GroundInfo(
        clause="18(11)",
        title=Titles(
            "теріс себептер бойынша жұмыстан шығарылғанда не көрсетілген негіздер бойынша жұмыс "
            "берушінің бастамасы бойынша еңбек шарты бұзылғанда",
            "увольнение по отрицательным мотивам либо расторжение трудового договора по инициативе "
            "работодателя по основаниям, предусмотренным Трудовым кодексом Республики Казахстан",
            "dismissal on negative grounds, or termination of the employment contract at the "
            "employer's initiative on the cited grounds",
        ),
        wording_kk="Қазақстан Республикасының заңдарына сәйкес теріс себептер бойынша жұмыстан "
        "шығарылғанда не еңбек шарты Қазақстан Республикасы Еңбек кодексінің 52-бабы 1-тармағының "
        "9), 10), 12), 13), 14), 15) және 17) тармақшаларында көзделген негіздер бойынша жұмыс "
        "берушінің бастамасы бойынша бұзылғанда",
        legal_basis=(_LC_52_ALL,),
        sub_bases=_SUB_18_11,
        evidence=EvidenceKind.DISMISSAL_OR_TERMINATION_ORDER,
    ),
}
