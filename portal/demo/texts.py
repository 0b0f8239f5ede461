"""Demo announcement texts in Kazakh, Russian and English, built from templates (never lorem ipsum).

Pure: no web framework, no database, no clock; the only randomness is a ``random.Random`` seeded from
the arguments (region code, cycle year, variant seed), so the same arguments give the same texts.

What an announcement says follows Decree No. 255 (rules.md 1.2-1.4): the quota and sectoral directions
(cl. 3), who may apply and who may not (cl. 4-5), the five stages (cl. 6) and the advance rule (cl. 10),
the intake dates (cl. 7), the four documents submitted on paper to the territorial unit or by e-mail
(cl. 8), the consent to personal-data processing (cl. 9), the two-year enrolment (cl. 12), and the legal
basis. Terms are those of the kk/ru/en glossary (rules.md 6).

DEMO ASSUMPTION: ``SECTOR_DIRECTIONS`` (the seven sectoral directions of the 2024 cycle) is a plausible
list chosen for the demonstration, because rules.md says the 2024 cycle used seven directions without
listing them. Replace it with the Agency's official list. The regional priorities are demo phrases too.

Public API:

* ``SECTOR_DIRECTIONS`` / ``DIRECTIONS_BY_CODE`` and ``SectorDirectionSeed(code, name, description)``;
* ``REGION_FORMS`` (ISO code -> ``RegionNames``), ``region_names_from_kk_ru_en``;
* ``DirectionQuota``, ``SelectionTextParams``, ``AnnouncementTexts`` and ``announcement_texts``;
* the date formatter ``format_date`` / ``format_date_range`` / ``format_month`` / ``format_month_in``.
"""

import random
from dataclasses import dataclass
from datetime import date
from typing import Final

from portal.demo.text_common import LANGUAGES, Lang, Localized, Trilingual, join_list
from portal.demo.text_dates import format_date, format_date_range, format_month, format_month_in, ru_plural
from portal.demo.text_directions import DIRECTIONS_BY_CODE, SECTOR_DIRECTIONS, SectorDirectionSeed
from portal.demo.text_regions import (
    KIND_PRIORITIES,
    REGION_FORMS,
    REGION_PRIORITIES,
    RegionForms,
    RegionNames,
    region_names_from_kk_ru_en,
)

__all__ = [
    "DIRECTIONS_BY_CODE",
    "LANGUAGES",
    "REGION_FORMS",
    "SECTOR_DIRECTIONS",
    "AnnouncementTexts",
    "DirectionQuota",
    "Lang",
    "Localized",
    "RegionForms",
    "RegionNames",
    "SectorDirectionSeed",
    "SelectionTextParams",
    "Trilingual",
    "announcement_texts",
    "format_date",
    "format_date_range",
    "format_month",
    "format_month_in",
    "region_names_from_kk_ru_en",
]

#: Decree No. 255 dates from 15 June 2023 (the first real intake opened on 1 March 2024, rules.md 0.4;
#: demo data placed around "today" may still start in late 2023).
DECREE_YEAR: Final = 2023
#: How many region-specific priorities an announcement names (plus one common to the region's kind).
_REGIONAL_PRIORITIES_SHOWN: Final = 2
_INTRO_VARIANTS: Final = 3


@dataclass(frozen=True, slots=True)
class DirectionQuota:
    """A sectoral direction of the selection, by code, with an optional number of places (A-09)."""

    code: str
    quota: int | None = None

    def __post_init__(self) -> None:
        if self.code not in DIRECTIONS_BY_CODE:
            known = ", ".join(DIRECTIONS_BY_CODE)
            raise ValueError(f"unknown sectoral direction {self.code!r}; known: {known}")
        if self.quota is not None and self.quota < 1:
            raise ValueError(f"direction {self.code!r}: the number of places must be at least 1")


@dataclass(frozen=True, slots=True)
class SelectionTextParams:
    """What the announcement of one selection needs to say (cl. 3, 7, 8); validated on creation.

    ``interview_month``: any day of the month in which the structured interview is planned; only its
    year and month are used. ``tu_address``: the territorial unit's postal address in kk/ru/en
    (``Trilingual.of(tenant.territorial_unit.address)``). ``variant_seed`` picks among wordings and
    regional priorities; the same seed gives the same texts.
    """

    cycle_year: int
    quota: int
    directions: tuple[DirectionQuota, ...]
    intake_start: date
    intake_end: date
    interview_month: date
    tu_address: Trilingual
    tu_email: str
    tu_phone: str
    variant_seed: int = 0

    def __post_init__(self) -> None:
        if self.cycle_year < DECREE_YEAR:
            raise ValueError(f"cycle year {self.cycle_year} is before Decree No. 255 ({DECREE_YEAR})")
        if self.quota < 1:
            raise ValueError("the quota (number of candidates to enrol) must be at least 1")
        if not self.directions:
            raise ValueError("a selection needs at least one sectoral direction")
        codes = [direction.code for direction in self.directions]
        if len(set(codes)) != len(codes):
            raise ValueError("a sectoral direction is listed twice")
        per_direction = [direction.quota for direction in self.directions if direction.quota is not None]
        places = sum(per_direction)
        if places > self.quota:
            raise ValueError(f"the per-direction places ({places}) exceed the quota ({self.quota})")
        if len(per_direction) == len(self.directions) and places != self.quota:
            raise ValueError(f"the per-direction places ({places}) do not add up to the quota ({self.quota})")
        if self.intake_end < self.intake_start:
            raise ValueError("the intake ends before it starts")
        interview = (self.interview_month.year, self.interview_month.month)
        if interview < (self.intake_end.year, self.intake_end.month):
            raise ValueError("the structured interview is planned before the intake ends")
        if "@" not in self.tu_email.strip(" @"):
            raise ValueError(f"{self.tu_email!r} is not an e-mail address")
        if not self.tu_phone.strip():
            raise ValueError("the territorial unit's phone is empty")


@dataclass(frozen=True, slots=True)
class AnnouncementTexts:
    """One language's announcement: a title, a one-paragraph summary, and a plain-text body.

    The body is paragraphs separated by one blank line; no HTML, no markdown.
    """

    title: str
    summary: str
    body: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(self.body.split("\n\n"))


@dataclass(frozen=True, slots=True)
class _Plan:
    """The choices shared by the three languages, so that kk, ru and en say the same thing."""

    intro: int
    summary: int
    priorities_wording: int
    contact: int
    priorities: tuple[Trilingual, ...]


def _plan(region: RegionNames, params: SelectionTextParams) -> _Plan:
    rng = random.Random(f"{region.code}|{params.cycle_year}|{params.variant_seed}")  # noqa: S311 (demo text)
    regional = REGION_PRIORITIES.get(region.code, ())
    common = KIND_PRIORITIES[region.kind]
    if regional:
        picked = [*rng.sample(regional, k=min(_REGIONAL_PRIORITIES_SHOWN, len(regional))), rng.choice(common)]
    else:
        picked = rng.sample(common, k=len(common))
    rng.shuffle(picked)
    # The opening wording moves with the seed arithmetically, so consecutive seeds always differ.
    step = params.variant_seed + params.cycle_year + sum(map(ord, region.code))
    return _Plan(
        intro=step % _INTRO_VARIANTS,
        summary=rng.randrange(2),
        priorities_wording=rng.randrange(2),
        contact=rng.randrange(2),
        priorities=tuple(picked),
    )


def _ru_places(count: int) -> str:
    return ru_plural(count, "место", "места", "мест")


def _plural_en(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _directions(params: SelectionTextParams, lang: Lang) -> str:
    items: list[str] = []
    for entry in params.directions:
        name = DIRECTIONS_BY_CODE[entry.code].name.get(lang)
        if lang == "kk":
            item = f"«{name}»" + ("" if entry.quota is None else f" ({entry.quota} орын)")
        elif lang == "ru":
            places = "" if entry.quota is None else f" ({entry.quota} {_ru_places(entry.quota)})"
            item = f"«{name}»{places}"
        else:
            item = f"“{name}”" + ("" if entry.quota is None else f" ({_plural_en(entry.quota, 'place')})")
        items.append(item)
    listed = join_list(items, lang)
    several = len(items) > 1
    if lang == "kk":
        if several:
            return f"Іріктеудің салалық бағыттары: {listed}. Кандидат өтініште бір салалық бағытты таңдайды."
        return f"Іріктеудің салалық бағыты: {listed}."
    if lang == "ru":
        if several:
            return f"Отраслевые направления отбора: {listed}. В заявлении кандидат выбирает одно направление."
        return f"Отраслевое направление отбора: {listed}."
    if several:
        return (
            f"Sectoral directions of this selection: {listed}. "
            "Each candidate chooses one direction in the application."
        )
    return f"Sectoral direction of this selection: {listed}."


def _kk(region: RegionNames, params: SelectionTextParams, plan: _Plan) -> AnnouncementTexts:
    year, quota = params.cycle_year, params.quota
    period = format_date_range(params.intake_start, params.intake_end, "kk")
    who = (
        "отыз бес жастан аспаған, жоғары білімі және үш жылдан кем емес еңбек өтілі бар "
        "Қазақстан Республикасының азаматтары"
    )
    title = f"{region.kk_gen} өңірлік кадр резервіне іріктеу — {year}"
    summaries = (
        f"{region.kk_gen} кадр комиссиясы өңірлік кадр резервіне іріктеу жариялайды: резервке {quota} "
        f"кандидат алынады. Іріктеуге {who} қатысады; құжаттар {period} қабылданады.",
        f"{region.kk_loc} өңірлік кадр резервіне {year} жылғы іріктеу басталады: резервке {quota} кандидатқа "
        f"дейін алынады. Құжаттар {period} қабылданады; іріктеуге {who} қатыса алады.",
    )
    intros = (
        f"{region.kk_gen} кадр комиссиясы Қазақстан Республикасы Мемлекеттік қызмет істері агенттігімен "
        f"келісім бойынша {year} жылы өңірлік кадр резервіне іріктеу жүргізеді. Іріктеу қорытындысы бойынша "
        f"резервке екі жыл мерзімге {quota} кандидат алынады.",
        f"{region.kk_loc} өңірлік кадр резервіне {year} жылғы іріктеу жарияланады. Резервке алынатын "
        f"кандидаттар санын ({quota}) және салалық бағыттарды кадр комиссиясы мемлекеттік қызмет саласындағы "
        "уәкілетті органмен келісім бойынша айқындады.",
        f"Өңірлік кадр резервіне алынған кандидаттар екі жыл бойы {region.kk_gen} жергілікті атқарушы "
        "органдарындағы «Б» корпусының бос мемлекеттік әкімшілік лауазымдарына конкурстық іріктеу "
        f"өткізілместен тағайындалуы мүмкін. {year} жылғы іріктеу қорытындысы бойынша резервке {quota} "
        "кандидат алынады.",
    )
    priorities = "; ".join(p.kk for p in plan.priorities)
    priority_texts = (
        "Іріктеу параметрлері өңірдің әлеуметтік-экономикалық жағдайы және мемлекеттік басқару жүйесін "
        f"дамыту басымдықтары ескеріле отырып айқындалды. {year} жылғы басым міндеттер: {priorities}.",
        f"Осы іріктеуде {region.kk_gen} мынадай әлеуметтік-экономикалық басымдықтары ескерілді: "
        f"{priorities}. Резерв осы міндеттерді шешуге дайын мамандармен толықтырылады.",
    )
    eligibility = (
        f"Іріктеуге {who} қатысады. Қазақстан Республикасының Президенті тағайындаған адамдар, саяси "
        "қызметшілер, «А» корпусының мемлекеттік әкімшілік қызметшілері және Президенттік жастар кадр "
        "резервіне алынған адамдар іріктеуге қатысуға жіберілмейді."
    )
    stages = (
        "Іріктеу бес кезеңнен тұрады: 1) кандидаттардың құжаттарын қабылдау; 2) заңнаманы білуге тестілеу "
        "және жеке қасиеттерін бағалау; 3) уәкілетті орган жүргізетін құзыреттерді бағалау; 4) комиссиядағы "
        "құрылымдық сұхбат; 5) комиссияның отырысында өңірлік резервке алуға ұсынылған кандидатураларды "
        "қарау. Әр кезеңнің қорытындысы бойынша ең жоғары нәтижелерге жеткен кандидаттар келесі кезеңге "
        "жіберіледі. Іріктеу кезеңдері «Е-қызмет» интеграцияланған ақпараттық жүйесі пайдаланыла отырып "
        f"жүргізілуі мүмкін. Құрылымдық сұхбатты {format_month_in(params.interview_month, 'kk')} өткізу "
        "жоспарланған. Комиссия құрылымдық сұхбаттың қорытындылары бойынша кандидаттарды өңірлік резервке "
        "екі жыл мерзімге алу туралы шешім шығарады."
    )
    documents = (
        f"Құжаттар {period} қабылданады. Кандидат уәкілетті органның аумақтық бөлімшесіне қағаз "
        f"жеткізгіште (мекенжайы: {params.tu_address.kk}) не {params.tu_email} электрондық пошта "
        "мекенжайына электрондық түрде мынадай құжаттарды ұсынады: 1) Қазақстан Республикасы жеке куәлігінің "
        "не паспортының көшірмесі; 2) өтініш; 3) білімі туралы құжаттардың және оларға қосымшалардың "
        "көшірмелері; 4) соңғы жұмыс орны бойынша кадр қызметі куәландырған, еңбек қызметін растайтын "
        "құжаттың көшірмесі. Құжаттарды осы портал арқылы да тапсыруға болады."
    )
    consent = (
        "Құжаттарды тапсыру кезінде кандидат Қағидалармен танысады, оларды қатаң сақтауға міндеттенеді және "
        "дербес деректерді жинау мен өңдеуге келісім береді."
    )
    contacts = (
        f"Анықтама телефоны: {params.tu_phone}.",
        f"Іріктеу туралы қосымша ақпаратты {params.tu_phone} телефоны арқылы алуға болады.",
    )
    legal = (
        "Іріктеу Қазақстан Республикасы Президентінің 2023 жылғы 15 маусымдағы № 255 Жарлығымен бекітілген "
        "Облыстың, республикалық маңызы бар қаланың, астананың өңірлік кадр резервін қалыптастыру және одан "
        "тағайындау қағидаларына сәйкес жүргізіледі."
    )
    body = (
        intros[plan.intro],
        priority_texts[plan.priorities_wording],
        _directions(params, "kk"),
        eligibility,
        stages,
        documents,
        consent,
        contacts[plan.contact],
        legal,
    )
    return AnnouncementTexts(title=title, summary=summaries[plan.summary], body="\n\n".join(body))


def _ru(region: RegionNames, params: SelectionTextParams, plan: _Plan) -> AnnouncementTexts:
    year, quota = params.cycle_year, params.quota
    period = format_date_range(params.intake_start, params.intake_end, "ru")
    who = (
        "граждане Республики Казахстан не старше тридцати пяти лет, имеющие высшее образование и трудовой "
        "стаж не менее трёх лет"
    )
    candidates_gen = ru_plural(quota, "кандидата", "кандидатов", "кандидатов")
    title = f"Отбор в региональный кадровый резерв {region.ru_gen} — {year}"
    summaries = (
        f"Кадровая комиссия {region.ru_gen} объявляет отбор в региональный кадровый резерв; количество "
        f"кандидатов, зачисляемых в резерв, — {quota}. В отборе участвуют {who}; документы принимаются "
        f"{period}.",
        f"В {region.ru_prep} начинается отбор {year} года в региональный кадровый резерв: в резерв будет "
        f"зачислено не более {quota} {candidates_gen}. Документы принимаются {period}; участвовать "
        f"могут {who}.",
    )
    intros = (
        f"Кадровая комиссия {region.ru_gen} по согласованию с Агентством Республики Казахстан по делам "
        f"государственной службы проводит в {year} году отбор в региональный кадровый резерв. Количество "
        f"кандидатов, зачисляемых в резерв по итогам отбора сроком на два года, — {quota}.",
        f"В {region.ru_prep} объявлен отбор {year} года в региональный кадровый резерв. Количество "
        f"зачисляемых кандидатов ({quota}) и отраслевые направления определены кадровой комиссией по "
        "согласованию с уполномоченным органом в сфере государственной службы.",
        "Кандидаты, зачисленные в региональный кадровый резерв, в течение двух лет могут назначаться без "
        "проведения конкурсного отбора на вакантные административные государственные должности корпуса «Б» "
        f"местных исполнительных органов {region.ru_gen}. Количество кандидатов, зачисляемых в резерв по "
        f"итогам отбора {year} года, — {quota}.",
    )
    priorities = "; ".join(p.ru for p in plan.priorities)
    priority_texts = (
        "Параметры отбора определены с учётом социально-экономического положения региона и приоритетов "
        f"развития системы государственного управления. Приоритетные задачи {year} года: {priorities}.",
        f"В этом отборе учтены следующие социально-экономические приоритеты {region.ru_gen}: {priorities}. "
        "Резерв пополнят специалисты, готовые решать эти задачи.",
    )
    eligibility = (
        f"В отборе участвуют {who}. К участию в отборе не допускаются лица, назначаемые Президентом "
        "Республики Казахстан, политические государственные служащие, административные государственные "
        "служащие корпуса «А» и лица, зачисленные в Президентский молодёжный кадровый резерв."
    )
    stages = (
        "Отбор состоит из пяти этапов: 1) приём документов кандидатов; 2) тестирование на знание "
        "законодательства и оценка личных качеств; 3) оценка компетенций, проводимая уполномоченным органом; "
        "4) структурированное интервью в комиссии; 5) рассмотрение на заседании комиссии кандидатур, "
        "рекомендованных к зачислению в региональный резерв. По итогам каждого этапа к следующему этапу "
        "допускаются кандидаты, набравшие наиболее высокие результаты. Этапы отбора могут проводиться с "
        "использованием интегрированной информационной системы «Е-қызмет». Структурированное интервью "
        f"планируется провести {format_month_in(params.interview_month, 'ru')}. По итогам "
        "структурированного интервью комиссия принимает решение о зачислении кандидатов в региональный "
        "резерв сроком на два года."
    )
    documents = (
        f"Документы принимаются {period}. Кандидат представляет в территориальное подразделение "
        f"уполномоченного органа на бумажном носителе (адрес: {params.tu_address.ru}) либо в электронном "
        f"виде на адрес электронной почты {params.tu_email} следующие документы: 1) копию удостоверения "
        "личности или паспорта Республики Казахстан; 2) заявление; 3) копии документов об образовании и "
        "приложений к ним; 4) копию документа, подтверждающего трудовую деятельность, заверенную кадровой "
        "службой по последнему месту работы. Документы также можно подать через этот портал."
    )
    consent = (
        "При подаче документов кандидат знакомится с Правилами, обязуется строго их соблюдать и даёт "
        "согласие на сбор и обработку персональных данных."
    )
    contacts = (
        f"Справки по телефону: {params.tu_phone}.",
        f"Дополнительную информацию об отборе можно получить по телефону {params.tu_phone}.",
    )
    legal = (
        "Отбор проводится в соответствии с Правилами формирования регионального кадрового резерва области, "
        "города республиканского значения, столицы и назначения из него, утверждёнными Указом Президента "
        "Республики Казахстан от 15 июня 2023 года № 255."
    )
    body = (
        intros[plan.intro],
        priority_texts[plan.priorities_wording],
        _directions(params, "ru"),
        eligibility,
        stages,
        documents,
        consent,
        contacts[plan.contact],
        legal,
    )
    return AnnouncementTexts(title=title, summary=summaries[plan.summary], body="\n\n".join(body))


def _en(region: RegionNames, params: SelectionTextParams, plan: _Plan) -> AnnouncementTexts:
    year, quota = params.cycle_year, params.quota
    period = format_date_range(params.intake_start, params.intake_end, "en")
    who = (
        "citizens of the Republic of Kazakhstan aged 35 or under, with higher education and at least three "
        "years of work experience"
    )
    candidates = _plural_en(quota, "candidate")
    title = f"Selection into the regional personnel reserve of {region.en_of}, {year}"
    summaries = (
        f"The personnel commission of {region.en_of} announces a selection into the regional personnel "
        f"reserve; {candidates} will be enrolled. The selection is open to {who}; documents are accepted "
        f"{period}.",
        f"The {year} selection into the regional personnel reserve of {region.en_of} is announced: up to "
        f"{candidates} will be enrolled. Documents are accepted {period}; {who}, may apply.",
    )
    intros = (
        f"The personnel commission of {region.en_of}, in agreement with the Agency of the Republic of "
        f"Kazakhstan for Civil Service Affairs, holds a selection into the regional personnel reserve in "
        f"{year}. The reserve will take {candidates}, each enrolled for two years.",
        f"A {year} selection into the regional personnel reserve is announced in {region.en_of}. The number "
        f"of candidates to be enrolled ({quota}) and the sectoral directions were set by the personnel "
        "commission in agreement with the authorized body for civil service.",
        "Candidates enrolled in the regional personnel reserve may, for two years, be appointed without a "
        "competition to vacant corps “B” administrative civil-service posts in the local executive bodies "
        f"of {region.en_of}. The {year} selection will enrol {candidates}.",
    )
    priorities = "; ".join(p.en for p in plan.priorities)
    priority_texts = (
        "The parameters of the selection reflect the region's socio-economic situation and its "
        f"public-administration priorities. Priority tasks for {year}: {priorities}.",
        f"This selection takes account of the following socio-economic priorities of {region.en_of}: "
        f"{priorities}. The reserve is to be filled with specialists ready to take on these tasks.",
    )
    eligibility = (
        f"The selection is open to {who}. Persons appointed by the President of the Republic of Kazakhstan, "
        "political civil servants, corps “A” administrative civil servants and members of the Presidential "
        "Youth Personnel Reserve are not admitted."
    )
    stages = (
        "The selection has five stages: 1) acceptance of candidates' documents; 2) testing on knowledge of "
        "legislation and assessment of personal qualities; 3) competency assessment conducted by the "
        "authorized body; 4) structured interview at the commission; 5) consideration, at a commission "
        "meeting, of the candidacies proposed for enrolment in the regional reserve. After each stage, the "
        "candidates with the highest results advance to the next one. The stages may be conducted using the "
        "integrated information system “E-qyzmet”. The structured interview is planned for "
        f"{format_month(params.interview_month, 'en')}. Based on its results, the commission decides on "
        "enrolling candidates in the regional reserve for two years."
    )
    documents = (
        f"Documents are accepted {period}. Candidates submit the following documents on paper to the "
        f"territorial unit of the authorized body (address: {params.tu_address.en}) or electronically to "
        f"the e-mail address {params.tu_email}: 1) a copy of the identity card or passport of the Republic "
        "of Kazakhstan; 2) an application; 3) copies of education documents and their supplements; 4) a copy "
        "of a document confirming work activity, certified by the HR service at the last place of work. "
        "Documents can also be submitted through this portal."
    )
    consent = (
        "When submitting the documents, the candidate reads the Rules, undertakes to comply with them "
        "strictly and consents to the collection and processing of personal data."
    )
    contacts = (
        f"Enquiries: {params.tu_phone}.",
        f"For more information about the selection, call {params.tu_phone}.",
    )
    legal = (
        "The selection is held under the Rules for forming the regional personnel reserve of an oblast, a "
        "city of republican significance and the capital and for appointing from it, approved by Decree of "
        "the President of the Republic of Kazakhstan No. 255 of 15 June 2023."
    )
    body = (
        intros[plan.intro],
        priority_texts[plan.priorities_wording],
        _directions(params, "en"),
        eligibility,
        stages,
        documents,
        consent,
        contacts[plan.contact],
        legal,
    )
    return AnnouncementTexts(title=title, summary=summaries[plan.summary], body="\n\n".join(body))


def announcement_texts(region: RegionNames, params: SelectionTextParams) -> dict[str, AnnouncementTexts]:
    """The announcement of one selection in ``"kk"``, ``"ru"`` and ``"en"`` (same facts in each)."""
    plan = _plan(region, params)
    return {"kk": _kk(region, params, plan), "ru": _ru(region, params, plan), "en": _en(region, params, plan)}
