"""Unofficial Russian and English summaries of Decree No. 255 and its Rules, for the `/rules` page.

No official Russian text of the decree was available when these were written (rules.md 0.2). The
Russian summaries are our own plain-language summaries in standard Kazakhstani Russian legal usage
(the glossary, rules.md 6); the English ones follow the clause-by-clause paraphrase (rules.md 1). Both
are summaries, not translations: show them under `SUMMARY_LABEL` and with `DISCLAIMER`, never as the
text of the act. Where the published Kazakh text has an export defect (rules.md 0.3), the summary gives
the meaning stated there and `TEXT_NOTES` explains the defect; the Kazakh text itself is never edited.

Keys: `SUMMARIES` by clause number ("1" .. "18", "13-1" .. "13-4"), `CHAPTER_TITLES` and
`CHAPTER_NOTES` by chapter number, `SECTION_SUMMARIES` and `TEXT_NOTES` by anchor (see
`portal.legal.decree`). The unit tests check that the keys match the parsed text exactly.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "CHAPTER_NOTES",
    "CHAPTER_TITLES",
    "DECREE_TITLE",
    "DISCLAIMER",
    "RULES_TITLE",
    "SECTION_SUMMARIES",
    "SUMMARIES",
    "SUMMARY_LABEL",
    "TEXT_NOTES",
    "ChapterTitle",
    "ClauseSummary",
]


@dataclass(frozen=True, slots=True)
class ClauseSummary:
    """A short unofficial summary (1-3 sentences) in Russian and in English."""

    ru: str
    en: str


@dataclass(frozen=True, slots=True)
class ChapterTitle:
    """A title in Russian and in English (our rendering; the Kazakh title comes from the parsed text)."""

    ru: str
    en: str


#: The label shown with every summary, by language ("kk" for a Kazakh-language page).
SUMMARY_LABEL: Mapping[str, str] = MappingProxyType(
    {
        "kk": "Ресми емес қысқаша мазмұн",
        "ru": "Неофициальное краткое изложение",
        "en": "Unofficial summary",
    }
)

#: Shown at the top of the `/rules` page, in the page's language.
DISCLAIMER: Mapping[str, str] = MappingProxyType(
    {
        "kk": (
            "Қазақ тіліндегі мәтін – Қазақстан Республикасы Президентінің 2023 жылғы 15 маусымдағы "
            "№ 255 Жарлығының (2023 жылғы 22 желтоқсандағы № 418 Жарлықпен толықтырылған) жарияланған "
            "мәтіні, ол редакциялық өзгерістерсіз келтірілген. Орыс және ағылшын тілдеріндегі мәтіндер "
            "осы портал үшін дайындалған ресми емес қысқаша мазмұндар болып табылады: олар Жарлықтың "
            "аудармасы емес және заңды күші жоқ. Жарлықтың ресми орыс тіліндегі мәтіні жарияланған "
            "жағдайда осы қысқаша мазмұндардың орнына сол мәтін басшылыққа алынады."
        ),
        "ru": (
            "Текст на казахском языке воспроизводит опубликованный текст Указа Президента Республики "
            "Казахстан от 15 июня 2023 года № 255 (с дополнением, внесённым Указом от 22 декабря "
            "2023 года № 418) без редакционных изменений. Тексты на русском и английском языках — "
            "неофициальные краткие изложения, подготовленные для этого портала: они не являются "
            "переводом Указа и не имеют юридической силы. При опубликовании официального текста Указа "
            "на русском языке следует руководствоваться им, а не настоящими изложениями."
        ),
        "en": (
            "The Kazakh text reproduces, without editorial changes, the published text of Decree "
            "No. 255 of the President of the Republic of Kazakhstan of 15 June 2023 (as supplemented by "
            "Decree No. 418 of 22 December 2023). The Russian and English texts are unofficial summaries "
            "made for this portal: they are not translations of the Decree and have no legal force. "
            "Where an official Russian text of the Decree is published, that text, not these summaries, "
            "is to be relied on."
        ),
    }
)

DECREE_TITLE = ChapterTitle(
    ru=(
        "Об утверждении Правил формирования регионального кадрового резерва области, города "
        "республиканского значения, столицы и назначения из него и о внесении изменений в указы "
        "Президента Республики Казахстан от 7 марта 2013 года № 520 и от 27 августа 2019 года № 141"
    ),
    en=(
        "On approving the Rules for forming the regional personnel reserve of an oblast, a city of "
        "republican significance or the capital and for appointing from it, and on amending Decrees "
        "of the President of the Republic of Kazakhstan No. 520 of 7 March 2013 and No. 141 of "
        "27 August 2019"
    ),
)

RULES_TITLE = ChapterTitle(
    ru=(
        "Правила формирования регионального кадрового резерва области, города республиканского "
        "значения, столицы и назначения из него"
    ),
    en=(
        "Rules for forming the regional personnel reserve of an oblast, a city of republican "
        "significance or the capital, and for appointing from it"
    ),
)

CHAPTER_TITLES: Mapping[str, ChapterTitle] = MappingProxyType(
    {
        "1": ChapterTitle(ru="Общие положения", en="General provisions"),
        "2": ChapterTitle(ru="Отбор в региональный резерв", en="Selection into the regional reserve"),
        "2-1": ChapterTitle(
            ru="Зачисление в региональный резерв без проведения отбора",
            en="Enrolment in the regional reserve without selection",
        ),
        "3": ChapterTitle(
            ru="Назначение из регионального резерва", en="Appointment from the regional reserve"
        ),
        "4": ChapterTitle(ru="Исключение из регионального резерва", en="Exclusion from the regional reserve"),
    }
)

#: The editorial notes ("Ескерту") printed under a chapter heading.
CHAPTER_NOTES: Mapping[str, ClauseSummary] = MappingProxyType(
    {
        "2-1": ClauseSummary(
            ru=(
                "Примечание: Правила дополнены главой 2-1 Указом Президента Республики Казахстан "
                "от 22.12.2023 № 418 (вводится в действие со дня первого официального опубликования)."
            ),
            en=(
                "Note: chapter 2-1 was added to the Rules by Decree No. 418 of the President of the "
                "Republic of Kazakhstan of 22.12.2023 (in force from the day of its first official "
                "publication)."
            ),
        ),
    }
)

#: The decree's own paragraphs and its amendments of Decrees 520 and 141, by anchor.
SECTION_SUMMARIES: Mapping[str, ClauseSummary] = MappingProxyType(
    {
        "decree-1": ClauseSummary(
            ru=(
                "Утверждаются прилагаемые Правила формирования регионального кадрового резерва "
                "области, города республиканского значения, столицы и назначения из него."
            ),
            en=(
                "Approves the attached Rules for forming the regional personnel reserve of an oblast, "
                "a city of republican significance or the capital, and for appointing from it."
            ),
        ),
        "decree-2": ClauseSummary(
            ru=(
                "Вносятся изменения в указы Президента Республики Казахстан от 7 марта 2013 года № 520 "
                "и от 27 августа 2019 года № 141."
            ),
            en=(
                "Amends Decrees of the President of the Republic of Kazakhstan No. 520 of 7 March 2013 "
                "and No. 141 of 27 August 2019."
            ),
        ),
        "amend-520": ClauseSummary(
            ru=(
                "В Положении о Национальной комиссии по кадровой политике при Президенте Республики "
                "Казахстан в новой редакции изложен подпункт 2-2) пунктов 3 и 4: рассмотрение вопросов и "
                "принятие решений о занятии без проведения конкурсного отбора административных "
                "государственных должностей корпуса «Б» судьями, депутатами, политическими и "
                "международными служащими, лицами с опытом работы в международных и иностранных "
                "организациях, выпускниками докторантуры ведущих зарубежных вузов и лицами, "
                "зачисленными в Президентский молодежный кадровый резерв. В Типовом положении о кадровой "
                "комиссии области, города республиканского значения, столицы в новой редакции изложены "
                "пункты 1, 3, 4 и 12 (правовая основа, задачи и функции комиссии, в том числе решение "
                "вопросов о зачислении в региональный резерв и исключении из него, и мониторинг рабочим "
                "органом прохождения государственной службы лицами из резерва). В типовом составе "
                "комиссии руководитель территориального подразделения Агентства по делам "
                "государственной службы становится заместителем председателя комиссии."
            ),
            en=(
                "In the Regulation on the National Commission on Personnel Policy under the President, "
                "sub-paragraph 2-2) of paragraphs 3 and 4 is restated: the Commission considers and "
                'decides on the placement, without competitive selection, in corps "B" administrative '
                "posts of judges, members of parliament and maslikhats, political and international "
                "servants, persons with experience in international and foreign organisations, doctoral "
                "graduates of leading foreign universities and members of the Presidential Youth "
                "Personnel Reserve. In the Model Regulation on the personnel commission of an oblast, a "
                "city of republican significance or the capital, paragraphs 1, 3, 4 and 12 are restated "
                "(legal basis, tasks and functions of the commission, including deciding on enrolment in "
                "and exclusion from the regional reserve, and the working body's monitoring of the civil "
                "service of reserve members). In the model composition of the commission, the head of "
                "the territorial unit of the Agency for Civil Service Affairs becomes deputy chair."
            ),
        ),
        "amend-141": ClauseSummary(
            ru=(
                "Из состава Национальной комиссии по молодежному кадровому резерву при Президенте "
                "Республики Казахстан исключена строка «помощник Президента Республики Казахстан по "
                "политическим вопросам, член комиссии»."
            ),
            en=(
                'The line "Assistant to the President for political affairs, commission member" is '
                "deleted from the composition of the National Commission on the Youth Personnel Reserve "
                "under the President."
            ),
        ),
        "decree-3": ClauseSummary(
            ru=(
                "Указ вводится в действие по истечении десяти календарных дней после дня его первого "
                "официального опубликования."
            ),
            en=(
                "The Decree enters into force ten calendar days after the day of its first official "
                "publication."
            ),
        ),
    }
)

_CIVIL_SERVICE_LAW_RU = "Закона Республики Казахстан «О государственной службе Республики Казахстан»"
_CIVIL_SERVICE_LAW_EN = 'the Law "On Civil Service of the Republic of Kazakhstan"'

#: One summary per clause of the Rules, by clause number.
SUMMARIES: Mapping[str, ClauseSummary] = MappingProxyType(
    {
        # Chapter 1. General provisions
        "1": ClauseSummary(
            ru=(
                "Правила разработаны в соответствии с пунктом 3-2 статьи 15 "
                f"{_CIVIL_SERVICE_LAW_RU} и определяют порядок формирования регионального кадрового "
                "резерва области, города республиканского значения, столицы (региональный резерв) и "
                "назначения из него."
            ),
            en=(
                f"The Rules are made under article 15 paragraph 3-2 of {_CIVIL_SERVICE_LAW_EN}. They set "
                "the procedure for forming the regional personnel reserve of an oblast, a city of "
                "republican significance or the capital (the regional reserve) and for appointing from it."
            ),
        ),
        "2": ClauseSummary(
            ru=(
                "Отбор осуществляет кадровая комиссия области, города республиканского значения, "
                "столицы (комиссия). Региональный резерв формируется в каждой области, каждом городе "
                "республиканского значения и в столице."
            ),
            en=(
                "Selection is carried out by the personnel commission of the oblast, city of republican "
                "significance or capital (the commission). A regional reserve is formed in each oblast, "
                "each city of republican significance and the capital."
            ),
        ),
        "3": ClauseSummary(
            ru=(
                "Для каждого конкретного отбора комиссия по согласованию с уполномоченным органом в "
                "сфере государственной службы (уполномоченный орган) определяет сроки проведения этапов "
                "отбора, количество кандидатов, зачисляемых в региональный резерв, и отраслевые "
                "направления. При этом учитываются социально-экономическая ситуация в регионе и "
                "приоритеты развития системы государственного управления."
            ),
            en=(
                "For each specific selection the commission, in agreement with the authorized body for "
                "civil service (the authorized body), sets the timetable of the selection stages, the "
                "number of candidates to be enrolled in the regional reserve and the sectoral directions. "
                "It takes account of the region's socio-economic situation and the priorities for "
                "developing public administration."
            ),
        ),
        "4": ClauseSummary(
            ru=(
                "В отборе в региональный резерв участвуют граждане Республики Казахстан не старше "
                "тридцати пяти лет, имеющие высшее образование и трудовой стаж не менее трёх лет."
            ),
            en=(
                "Selection is open to citizens of the Republic of Kazakhstan not older than thirty-five "
                "who have higher education and at least three years of work experience."
            ),
        ),
        "5": ClauseSummary(
            ru=(
                "К участию в отборе не допускаются лица, назначаемые Президентом Республики Казахстан, "
                "политические государственные служащие, административные государственные служащие "
                "корпуса «А» и лица, зачисленные в Президентский молодежный кадровый резерв."
            ),
            en=(
                "Persons appointed by the President of the Republic of Kazakhstan, political civil "
                'servants, corps "A" administrative civil servants and persons enrolled in the '
                "Presidential Youth Personnel Reserve are not admitted to selection."
            ),
        ),
        # Chapter 2. Selection into the regional reserve
        "6": ClauseSummary(
            ru=(
                "Отбор состоит из пяти этапов: 1) приём документов кандидатов; 2) тестирование на знание "
                "законодательства и оценка личных качеств; 3) оценка компетенций, проводимая "
                "уполномоченным органом; 4) структурированное интервью в комиссии; 5) рассмотрение на "
                "заседании комиссии кандидатур, рекомендованных к зачислению в региональный резерв. "
                "Этапы отбора могут проводиться с использованием интегрированной информационной системы "
                "«Е-қызмет»."
            ),
            en=(
                "Selection has five stages: (1) acceptance of candidates' documents; (2) testing on "
                "knowledge of legislation and assessment of personal qualities; (3) competency "
                "assessment conducted by the authorized body; (4) a structured interview at the "
                "commission; (5) consideration, at a commission meeting, of the candidacies proposed for "
                "enrolment in the regional reserve. The stages may be conducted using the integrated "
                'information system "E-qyzmet".'
            ),
        ),
        "7": ClauseSummary(
            ru=(
                "Объявление об отборе публикуется на интернет-ресурсах уполномоченного органа, его "
                "территориальных подразделений и аппаратов акимов, а также в региональных средствах "
                "массовой информации, на интернет-ресурсах и в социальных сетях до начала приёма "
                "документов и содержит сведения о порядке отбора и сроках приёма документов. В "
                "опубликованном тексте срок указан как «15 бес» рабочих дней (цифрами — 15, словом "
                "«бес» — пять); портал применяет 15 рабочих дней, что удовлетворяет обоим прочтениям."
            ),
            en=(
                "The announcement of a selection is published on the internet resources of the "
                "authorized body, its territorial units and the akims' apparatuses, and in regional mass "
                "media, on internet resources and on social networks, before document intake starts; it "
                "states the selection procedure and the intake dates. The published text gives the "
                'notice as "15 бес" working days (the figure says 15, the word "бес" says five); the '
                "portal applies 15 working days, which satisfies both readings."
            ),
        ),
        "8": ClauseSummary(
            ru=(
                "Граждане, желающие участвовать в отборе, представляют в территориальное подразделение "
                "уполномоченного органа на бумажном носителе либо в электронном виде на адрес "
                "электронной почты, указанный в объявлении: 1) копию удостоверения личности или паспорта "
                "Республики Казахстан; 2) заявление; 3) копии документов об образовании и приложений к "
                "ним; 4) копию документа, подтверждающего трудовую деятельность, заверенную кадровой "
                "службой по последнему месту работы."
            ),
            en=(
                "Citizens who wish to take part submit to the territorial unit of the authorized body, on "
                "paper or electronically to the e-mail address given in the announcement: (1) a copy of "
                "the identity card or passport of the Republic of Kazakhstan; (2) an application; (3) "
                "copies of education documents and their supplements; (4) a copy of a document "
                "confirming work activity, certified by the HR service at the last place of work."
            ),
        ),
        "9": ClauseSummary(
            ru=(
                "При подаче документов кандидат знакомится с настоящими Правилами и даёт согласие на их "
                "неукоснительное соблюдение, а также на сбор и обработку персональных данных."
            ),
            en=(
                "When submitting the documents the candidate reads these Rules and gives consent to "
                "comply with them strictly and to the collection and processing of personal data."
            ),
        ),
        "10": ClauseSummary(
            ru=(
                "По итогам каждого этапа к следующему этапу допускаются кандидаты с наиболее высокими "
                "результатами; предельное количество допускаемых к каждому следующему этапу комиссия "
                "определяет на основании результатов каждого этапа. При равенстве результатов у "
                "нескольких кандидатов к следующему этапу может быть допущено больше кандидатов, чем "
                "определила комиссия."
            ),
            en=(
                "After each stage the candidates with the highest results advance to the next stage; the "
                "commission sets the maximum number advancing to each next stage on the basis of the "
                "results of each stage. If several candidates have equal results, more candidates than "
                "the number set by the commission may advance."
            ),
        ),
        "11": ClauseSummary(
            ru=(
                "При подготовке к структурированному интервью территориальное подразделение "
                "уполномоченного органа рассматривает сведения о кандидатах, в том числе запрашиваемые "
                "в соответствующих государственных органах, а также соответствие кандидатов требованиям "
                f"пункта 3 статьи 16 {_CIVIL_SERVICE_LAW_RU}."
            ),
            en=(
                "While preparing the structured interview, the territorial unit of the authorized body "
                "reviews information about the candidates, including information requested from the "
                "relevant state bodies, and whether they meet the requirements of article 16 paragraph 3 "
                f"of {_CIVIL_SERVICE_LAW_EN}."
            ),
        ),
        "12": ClauseSummary(
            ru=(
                "Для обеспечения открытости отбора на этапе структурированного интервью могут "
                "привлекаться представители общественных объединений, неправительственных организаций, "
                "средств массовой информации, бизнес-сообществ и отраслевые эксперты. По итогам "
                "структурированного интервью комиссия принимает решение о зачислении кандидатов в "
                "региональный резерв сроком на два года."
            ),
            en=(
                "To make selection transparent, representatives of public associations, non-governmental "
                "organisations, mass media and business communities, and sectoral experts, may be "
                "involved at the structured-interview stage. On the results of the structured interview "
                "the commission decides to enrol candidates in the regional reserve for two years."
            ),
        ),
        "13": ClauseSummary(
            ru=(
                "Основания для отказа в допуске к участию в отборе и отстранения с любого его этапа: "
                "1) несоблюдение кандидатом настоящих Правил; 2) представление недостоверных сведений и "
                "документов; 3) несоответствие кандидата требованиям пункта 3 статьи 16 "
                f"{_CIVIL_SERVICE_LAW_RU}."
            ),
            en=(
                "Admission to selection is refused, or a candidate is removed from any of its stages, on "
                "these grounds: (1) the candidate does not comply with these Rules; (2) the candidate "
                "submits unreliable information or documents; (3) the candidate does not meet the "
                f"requirements of article 16 paragraph 3 of {_CIVIL_SERVICE_LAW_EN}."
            ),
        ),
        # Chapter 2-1. Enrolment without selection (Decree No. 418)
        "13-1": ClauseSummary(
            ru=(
                "Кандидаты в Президентский молодежный кадровый резерв, включённые в утверждённый "
                "Национальной комиссией по молодежному кадровому резерву при Президенте Республики "
                "Казахстан список кандидатов, подлежащих зачислению в региональные резервы без "
                "проведения отбора (кандидаты в Президентский резерв), зачисляются в региональный резерв "
                "без проведения отбора, если подали в комиссию заявление о зачислении."
            ),
            en=(
                "Candidates for the Presidential Youth Personnel Reserve who are on the list of "
                "candidates to be enrolled in regional reserves without selection, approved by the "
                "National Commission on the Youth Personnel Reserve under the President (candidates for "
                "the Presidential reserve), are enrolled in a regional reserve without selection if they "
                "apply to the commission."
            ),
        ),
        "13-2": ClauseSummary(
            ru=(
                "Кандидат в Президентский резерв самостоятельно выбирает региональный резерв, "
                "сформированный в порядке, установленном настоящими Правилами, и подаёт заявление в "
                "соответствующую комиссию в течение одного года со дня утверждения Национальной "
                "комиссией списка кандидатов, подлежащих зачислению в региональные резервы без "
                "проведения отбора."
            ),
            en=(
                "A candidate for the Presidential reserve chooses, independently, a regional reserve "
                "formed under these Rules and applies to the relevant commission within one year from "
                "the date on which the National Commission approved the list of candidates to be "
                "enrolled in regional reserves without selection."
            ),
        ),
        "13-3": ClauseSummary(
            ru=(
                "В течение одного месяца со дня получения заявления комиссия принимает решение о "
                "зачислении кандидата в Президентский резерв в региональный резерв сроком на два года."
            ),
            en=(
                "Within one month from the day it receives the application, the commission decides to "
                "enrol the candidate for the Presidential reserve in the regional reserve for two years."
            ),
        ),
        "13-4": ClauseSummary(
            ru=(
                "Кандидаты в Президентский резерв зачисляются в региональный резерв сверх количества "
                "кандидатов, определённого в порядке, установленном пунктом 3 настоящих Правил."
            ),
            en=(
                "Candidates for the Presidential reserve are enrolled in the regional reserve in addition "
                "to the number of candidates to be enrolled that is set under clause 3 of these Rules."
            ),
        ),
        # Chapter 3. Appointment from the regional reserve
        "14": ClauseSummary(
            ru=(
                "Лица, зачисленные в региональный резерв, могут занимать административные "
                "государственные должности корпуса «Б» в местных исполнительных органах, за исключением "
                "выборных должностей, в порядке и на условиях, установленных законодательством "
                "Республики Казахстан."
            ),
            en=(
                'Persons enrolled in the regional reserve may take corps "B" administrative civil-service '
                "posts in local executive bodies, except elective posts, in the procedure and on the "
                "conditions set by the legislation of the Republic of Kazakhstan."
            ),
        ),
        "15": ClauseSummary(
            ru=(
                "Для назначения из регионального резерва без проведения конкурсного отбора на вакантную "
                "должность руководителя исполнительного органа области, города республиканского "
                "значения, столицы, финансируемого из областного бюджета, бюджета города "
                "республиканского значения, столицы, должностное "
                "лицо (орган), обладающее правом назначения на эту должность, либо уполномоченное им "
                "лицо вносит в уполномоченный орган представление с приложением заявления лица, "
                "зачисленного в региональный резерв, и его послужного списка."
            ),
            en=(
                "To appoint a reserve member, without competitive selection, to a vacant post of head of "
                "an executive body of the oblast, city of republican significance or capital financed "
                "from the oblast budget or the budget of the city of republican significance or the "
                "capital, the official (body) entitled to appoint to that post, or a person it "
                "authorises, submits a proposal to the authorized body, attaching the reserve member's "
                "application and service record."
            ),
        ),
        "16": ClauseSummary(
            ru=(
                "Для назначения из регионального резерва без проведения конкурсного отбора на иную "
                "вакантную должность корпуса «Б», кроме указанной в пункте 15, должностное лицо (орган), "
                "обладающее правом назначения, либо уполномоченное им лицо вносит представление с "
                "приложением заявления и послужного списка лица, зачисленного в региональный резерв, в "
                "территориальное подразделение уполномоченного органа."
            ),
            en=(
                'For any other vacant corps "B" post (not the post in clause 15), the official (body) '
                "entitled to appoint, or a person it authorises, submits the proposal, with the reserve "
                "member's application and service record, to the territorial unit of the authorized body."
            ),
        ),
        "17": ClauseSummary(
            ru=(
                "С согласия лица, зачисленного в региональный резерв, допускается его назначение в "
                "другие регионы. В этом случае акт о назначении принимает лицо, обладающее правом "
                "назначения на государственную должность и освобождения от неё по месту назначения, с "
                "согласия уполномоченного органа."
            ),
            en=(
                "A reserve member may be appointed to another region with his or her consent. The act of "
                "appointment is then adopted, with the consent of the authorized body, by the person "
                "entitled to appoint to and dismiss from the state post at the place of appointment."
            ),
        ),
        # Chapter 4. Exclusion from the regional reserve
        "18": ClauseSummary(
            ru=(
                "По соответствующим предложениям территориального подразделения уполномоченного органа "
                "комиссия исключает лицо из регионального резерва: 1) по собственному желанию; "
                "2) при утрате гражданства Республики Казахстан; 3) при наличии гражданства иностранного "
                "государства; 4) за дисциплинарный проступок, дискредитирующий государственную службу; "
                "5) при понижении в должности или увольнении по результатам оценки эффективности "
                "деятельности; 6) при привлечении к административной ответственности за "
                "правонарушения, посягающие на общественный порядок и нравственность; 7) за "
                "административное коррупционное правонарушение; 8) за преступление или уголовный "
                "проступок в период нахождения в резерве либо при освобождении от уголовной "
                "ответственности по пунктам 3), 4), 9), 10), 12) части первой статьи 35 или по "
                "статье 36 Уголовно-процессуального кодекса; 9) при отказе от принятия "
                "антикоррупционных ограничений; 10) при признании судом недееспособным или ограниченно "
                "дееспособным; 11) при увольнении по отрицательным мотивам либо расторжении трудового "
                "договора по инициативе работодателя по подпунктам 9), 10), 12)–15) и 17) пункта 1 "
                "статьи 52 Трудового кодекса."
            ),
            en=(
                "On the relevant proposals of the territorial unit of the authorized body, the commission "
                "excludes a person from the regional reserve: (1) at his or her own wish; (2) on loss of "
                "citizenship of the Republic of Kazakhstan; (3) on holding a foreign citizenship; (4) for "
                "a disciplinary offence discrediting the civil service; (5) on demotion or dismissal "
                "following a performance assessment; (6) on being held administratively liable for "
                "offences against public order and morality; (7) for an administrative corruption "
                "offence; (8) for a crime or criminal misdemeanour committed while in the reserve, or on "
                "release from criminal liability under items 3, 4, 9, 10 or 12 of article 35 part 1, or "
                "under article 36, of the Criminal Procedure Code; (9) on refusing to accept "
                "anti-corruption restrictions; (10) on being declared legally incapable or of limited "
                "capacity by a court; (11) on dismissal on negative grounds, or termination of the "
                "employment contract at the employer's initiative under article 52 paragraph 1 "
                "sub-paragraphs 9, 10, 12-15 or 17 of the Labour Code."
            ),
        ),
    }
)

#: Editorial notes on export defects of the published Kazakh text (rules.md 0.3), by anchor. The
#: Kazakh text is shown as published; these notes say what the defective passage means.
TEXT_NOTES: Mapping[str, ClauseSummary] = MappingProxyType(
    {
        "cl-1": ClauseSummary(
            ru=(
                "В опубликованном тексте слово «3-2-тармағына» смещено; имеется в виду пункт 3-2 "
                "статьи 15 Закона «О государственной службе Республики Казахстан»."
            ),
            en=(
                'In the published text the word "3-2-тармағына" is displaced; the reference is to '
                'article 15 paragraph 3-2 of the Law "On Civil Service of the Republic of Kazakhstan".'
            ),
        ),
        "cl-7": ClauseSummary(
            ru=(
                "«15 бес жұмыс күні»: цифра означает пятнадцать, слово «бес» — пять (пятнадцать "
                "по-казахски — «он бес»). До получения официального текста на русском языке портал "
                "требует не менее 15 рабочих дней, что удовлетворяет обоим прочтениям."
            ),
            en=(
                '"15 бес жұмыс күні": the figure means fifteen, the word "бес" means five (fifteen is '
                '"он бес" in Kazakh). Until the official Russian text is obtained, the portal requires '
                "at least 15 working days, which satisfies both readings."
            ),
        ),
        "cl-11": ClauseSummary(
            ru=(
                "В опубликованном тексте слово «3-тармағының» смещено; имеется в виду пункт 3 "
                "статьи 16 Закона."
            ),
            en=(
                'In the published text the word "3-тармағының" is displaced; the reference is to '
                "article 16 paragraph 3 of the Law."
            ),
        ),
        "cl-13-item-3": ClauseSummary(
            ru=(
                "В опубликованном тексте слово «3-тармағының» смещено; имеется в виду пункт 3 "
                "статьи 16 Закона."
            ),
            en=(
                'In the published text the word "3-тармағының" is displaced; the reference is to '
                "article 16 paragraph 3 of the Law."
            ),
        ),
        "cl-15": ClauseSummary(
            ru=(
                "«уәкілеті органға» — опечатка в опубликованном тексте вместо «уәкілетті органға» "
                "(в уполномоченный орган)."
            ),
            en=(
                '"уәкілеті органға" is a typo in the published text for "уәкілетті органға" '
                "(to the authorized body)."
            ),
        ),
        "cl-18-item-8": ClauseSummary(
            ru=(
                "В опубликованном тексте слова смещены; имеются в виду пункты 3), 4), 9), 10) и 12) "
                "части первой статьи 35 либо статья 36 Уголовно-процессуального кодекса."
            ),
            en=(
                "The words are displaced in the published text; the reference is to items 3, 4, 9, 10 "
                "and 12 of article 35 part 1, or to article 36, of the Criminal Procedure Code."
            ),
        ),
        "cl-18-item-11": ClauseSummary(
            ru=(
                "В опубликованном тексте номера подпунктов смещены; имеются в виду подпункты 9), 10), "
                "12), 13), 14), 15) и 17) пункта 1 статьи 52 Трудового кодекса."
            ),
            en=(
                "The sub-paragraph numbers are displaced in the published text; the reference is to "
                "sub-paragraphs 9, 10, 12, 13, 14, 15 and 17 of article 52 paragraph 1 of the Labour Code."
            ),
        ),
        "amend-520": ClauseSummary(
            ru=(
                "В опубликованном тексте обозначения изменяемых структурных единиц смещены в конец строки "
                "(например, «мынадай редакцияда жазылсын:2-2) тармақшасы»), а в пункте 1 Типового "
                "положения — слово «Заңын»: комиссия образуется в соответствии с Законом «О "
                "государственной службе Республики Казахстан» и в целях реализации кадровой политики."
            ),
            en=(
                "In the published text the designations of the restated units are displaced to the end "
                'of the line (e.g. "мынадай редакцияда жазылсын:2-2) тармақшасы"), and in paragraph 1 of '
                'the Model Regulation so is the word "Заңын": the commission is formed in accordance '
                'with the Law "On Civil Service of the Republic of Kazakhstan" and to implement '
                "personnel policy."
            ),
        ),
    }
)
