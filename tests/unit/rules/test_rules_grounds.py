"""The grounds of cl. 13 (refusal, removal) and cl. 18 (exclusion); rules.md 1.3, 1.6, 5.4-5.6, 6.5."""

import pytest

from portal.rules.grounds import EvidenceKind, ExclusionGround, LegalAct, RefusalGround, Titles

# rules.md 6.5, row by row: number, kk, ru, en. "…" marks where the glossary elides the cited grounds.
GLOSSARY_6_5 = [
    ("18.1", "өз қалауы бойынша", "по собственному желанию", "at own wish"),
    (
        "18.2",
        "Қазақстан Республикасының азаматтығын жоғалтқанда",
        "утрата гражданства Республики Казахстан",
        "loss of citizenship of the RK",
    ),
    (
        "18.3",
        "шет мемлекеттің азаматтығы болғанда",
        "наличие гражданства иностранного государства",
        "holding a foreign citizenship",
    ),
    (
        "18.4",
        "мемлекеттік қызметке кір келтіретін тәртіптік теріс қылық жасағанда",
        "совершение дисциплинарного проступка, дискредитирующего государственную службу",
        "disciplinary offence discrediting the civil service",
    ),
    (
        "18.5",
        "қызметінің тиімділігін бағалау негізінде лауазымы төмендетілгенде не одан шығарылғанда",
        "понижение в должности либо увольнение по результатам оценки эффективности деятельности",
        "demotion or dismissal on the basis of performance assessment",
    ),
    (
        "18.6",
        "қоғамдық тәртіп пен имандылыққа қол сұғатын құқық бұзушылықтар үшін әкімшілік "
        "жауаптылыққа тартылғанда",
        "привлечение к административной ответственности за правонарушения, посягающие на общественный "
        "порядок и нравственность",
        "administrative liability for offences against public order and morality",
    ),
    (
        "18.7",
        "әкімшілік сыбайлас жемқорлық құқық бұзушылық жасағанда",
        "совершение административного коррупционного правонарушения",
        "administrative corruption offence",
    ),
    (
        "18.8",
        "қылмыс немесе қылмыстық теріс қылық жасағанда не … қылмыстық жауаптылықтан босатылғанда",
        "совершение преступления или уголовного проступка либо освобождение от уголовной ответственности "
        "по основаниям …",
        "crime or criminal misdemeanour, or release from criminal liability on the cited grounds",
    ),
    (
        "18.9",
        "сыбайлас жемқорлыққа қарсы шектеулерді өзіне қабылдаудан бас тартқанда",
        "отказ от принятия антикоррупционных ограничений",
        "refusal to accept anti-corruption restrictions",
    ),
    (
        "18.10",
        "сот әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп танығанда",
        "признание судом недееспособным или ограниченно дееспособным",
        "declared legally incapable or of limited capacity by a court",
    ),
    (
        "18.11",
        "теріс себептер бойынша жұмыстан шығарылғанда не … жұмыс берушінің бастамасы бойынша еңбек шарты "
        "бұзылғанда",
        "увольнение по отрицательным мотивам либо расторжение трудового договора по инициативе работодателя "
        "по основаниям …",
        "dismissal on negative grounds, or termination of the employment contract at the employer's "
        "initiative on the cited grounds",
    ),
]


def matches_glossary(actual: str, glossary: str) -> bool:
    """Equal, or equal around the glossary's "…" (which the title fills in)."""
    if "…" not in glossary:
        return actual == glossary
    head, tail = (part.strip() for part in glossary.split("…"))
    return actual.startswith(head) and actual.endswith(tail) and len(actual) > len(head) + len(tail)


def test_cl18_exactly_eleven_exclusion_grounds_in_order() -> None:
    assert [g.value for g in ExclusionGround] == [f"18.{n}" for n in range(1, 12)]
    assert [g.clause for g in ExclusionGround] == [f"18({n})" for n in range(1, 12)]


@pytest.mark.parametrize(("number", "kk", "ru", "en"), GLOSSARY_6_5, ids=[row[0] for row in GLOSSARY_6_5])
def test_cl18_exclusion_ground_titles_follow_glossary_6_5(number: str, kk: str, ru: str, en: str) -> None:
    ground = ExclusionGround(number)
    assert matches_glossary(ground.title_kk, kk)
    assert matches_glossary(ground.title_ru, ru)
    assert matches_glossary(ground.title_en, en)
    assert ground.title_in("kk") == ground.title_kk
    assert ground.title_in("ru") == ground.title_ru
    assert ground.title_in("en") == ground.title_en


def test_cl13_exactly_three_refusal_grounds_with_clause_wording() -> None:
    assert [(g.value, g.clause) for g in RefusalGround] == [
        ("13.1", "13(1)"),
        ("13.2", "13(2)"),
        ("13.3", "13(3)"),
    ]
    assert RefusalGround.NON_COMPLIANCE_WITH_RULES.title_kk == "кандидаттың осы Қағидаларды сақтамауы"
    assert RefusalGround.UNRELIABLE_INFORMATION.title_kk == "анық емес ақпаратты және құжаттарды ұсынуы"
    assert "16-бабы 3-тармағының" in RefusalGround.NON_COMPLIANCE_WITH_ART_16_3.title_kk
    assert (
        RefusalGround.UNRELIABLE_INFORMATION.title_ru == "представление недостоверных сведений и документов"
    )
    for ground in RefusalGround:
        assert ground.title_kk
        assert ground.title_ru
        assert ground.title_en


@pytest.mark.parametrize(
    ("ground", "evidence"),
    [
        (RefusalGround.NON_COMPLIANCE_WITH_RULES, EvidenceKind.DOCUMENT_REVIEW),
        (RefusalGround.UNRELIABLE_INFORMATION, EvidenceKind.PROOF_OF_UNRELIABILITY),
        (RefusalGround.NON_COMPLIANCE_WITH_ART_16_3, EvidenceKind.BACKGROUND_CHECK_CONCLUSION),
    ],
)
def test_cl13_refusal_grounds_evidence(ground: RefusalGround, evidence: EvidenceKind) -> None:
    assert ground.evidence is evidence


def test_cl13_3_cites_civil_service_law_art_16_para_3() -> None:
    (basis,) = RefusalGround.NON_COMPLIANCE_WITH_ART_16_3.legal_basis
    assert (basis.act, basis.article, basis.part) == (LegalAct.CIVIL_SERVICE_LAW, "16", "3")
    assert not basis.confirmed  # rules.md 0.2 item 2: text not retrieved
    assert RefusalGround.NON_COMPLIANCE_WITH_RULES.legal_basis == ()
    assert RefusalGround.UNRELIABLE_INFORMATION.legal_basis == ()


def test_cl18_8_cites_cpc_art_35_part_1_items_and_art_36() -> None:
    ground = ExclusionGround.CRIME_OR_RELEASE_FROM_LIABILITY
    art35, art36 = ground.legal_basis
    assert (art35.act, art35.article, art35.part, art35.items) == (
        LegalAct.CRIMINAL_PROCEDURE_CODE,
        "35",
        "1",
        ("3", "4", "9", "10", "12"),
    )
    assert (art36.act, art36.article) == (LegalAct.CRIMINAL_PROCEDURE_CODE, "36")
    assert [s.code for s in ground.sub_bases] == [
        "conviction",
        "cpc-35-1-3",
        "cpc-35-1-4",
        "cpc-35-1-9",
        "cpc-35-1-10",
        "cpc-35-1-12",
        "cpc-36",
    ]
    confirmed = {s.code for s in ground.sub_bases if s.confirmed}
    assert confirmed == {
        "conviction",
        "cpc-35-1-3",
        "cpc-35-1-4",
        "cpc-35-1-9",
        "cpc-35-1-10",
    }  # rules.md 5.6
    assert ground.info.act_within_membership  # rules.md A-24
    assert ground.info.needs_entry_into_force_date


def test_cl18_11_cites_labour_code_art_52_para_1_subparas() -> None:
    ground = ExclusionGround.NEGATIVE_GROUNDS_DISMISSAL
    (basis,) = ground.legal_basis
    assert (basis.act, basis.article, basis.part, basis.items) == (
        LegalAct.LABOUR_CODE,
        "52",
        "1",
        ("9", "10", "12", "13", "14", "15", "17"),
    )
    assert "8" not in basis.items  # absence is not listed (rules.md 1.6 R-18(11))
    codes = [s.code for s in ground.sub_bases]
    assert codes[0] == "negative-grounds"
    assert codes[1:] == [f"lc-52-1-{n}" for n in basis.items]
    assert {s.code for s in ground.sub_bases if s.confirmed} == {
        "negative-grounds",
        "lc-52-1-9",
        "lc-52-1-10",
    }


def test_cl18_grounds_without_an_external_article_cite_none() -> None:
    citing = {ExclusionGround.CRIME_OR_RELEASE_FROM_LIABILITY, ExclusionGround.NEGATIVE_GROUNDS_DISMISSAL}
    for ground in ExclusionGround:
        assert bool(ground.legal_basis) == (ground in citing), ground
        assert bool(ground.sub_bases) == (ground in citing), ground


@pytest.mark.parametrize(
    ("ground", "evidence"),
    [
        (ExclusionGround.AT_OWN_WISH, EvidenceKind.MEMBER_SIGNED_REQUEST),
        (ExclusionGround.LOSS_OF_CITIZENSHIP, EvidenceKind.OFFICIAL_NOTICE),
        (ExclusionGround.FOREIGN_CITIZENSHIP, EvidenceKind.FOREIGN_CITIZENSHIP_EVIDENCE),
        (ExclusionGround.DISCREDITING_DISCIPLINARY_OFFENCE, EvidenceKind.DISCIPLINARY_ORDER),
        (ExclusionGround.DEMOTION_OR_DISMISSAL_AFTER_ASSESSMENT, EvidenceKind.ASSESSMENT_RESULT_AND_ORDER),
        (ExclusionGround.PUBLIC_ORDER_MORALITY_OFFENCE, EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE),
        (ExclusionGround.ADMINISTRATIVE_CORRUPTION_OFFENCE, EvidenceKind.ADMINISTRATIVE_RESOLUTION_IN_FORCE),
        (ExclusionGround.CRIME_OR_RELEASE_FROM_LIABILITY, EvidenceKind.VERDICT_OR_RELEASE_DECISION_IN_FORCE),
        (ExclusionGround.REFUSAL_OF_ANTI_CORRUPTION_RESTRICTIONS, EvidenceKind.WRITTEN_REFUSAL),
        (ExclusionGround.LEGAL_INCAPACITY, EvidenceKind.COURT_DECISION_IN_FORCE),
        (ExclusionGround.NEGATIVE_GROUNDS_DISMISSAL, EvidenceKind.DISMISSAL_OR_TERMINATION_ORDER),
    ],
)
def test_cl18_every_exclusion_ground_names_its_evidence(
    ground: ExclusionGround, evidence: EvidenceKind
) -> None:
    assert ground.evidence is evidence


def test_cl18_4_and_18_5_apply_to_civil_servants_only() -> None:
    only = {g for g in ExclusionGround if g.info.civil_servants_only}
    assert only == {
        ExclusionGround.DISCREDITING_DISCIPLINARY_OFFENCE,
        ExclusionGround.DEMOTION_OR_DISMISSAL_AFTER_ASSESSMENT,
    }


def test_cl18_6_and_18_10_need_the_date_of_entry_into_force() -> None:
    assert ExclusionGround.PUBLIC_ORDER_MORALITY_OFFENCE.info.needs_entry_into_force_date
    assert ExclusionGround.LEGAL_INCAPACITY.info.needs_entry_into_force_date
    assert not ExclusionGround.AT_OWN_WISH.info.needs_entry_into_force_date


def test_cl18_wording_kk_is_the_clause_text() -> None:
    assert ExclusionGround.CRIME_OR_RELEASE_FROM_LIABILITY.info.wording_kk.startswith(
        "өңірлік резервте болу кезеңінде қылмыс"
    )
    assert (
        "9), 10), 12), 13), 14), 15) және 17)" in ExclusionGround.NEGATIVE_GROUNDS_DISMISSAL.info.wording_kk
    )
    for ground in ExclusionGround:
        if "…" not in {r[0]: r[1] for r in GLOSSARY_6_5}[ground.value]:
            assert ground.info.wording_kk == ground.title_kk


def test_s6_titles_fall_back_to_kazakh() -> None:
    titles = Titles(kk="қаз", ru="рус", en="eng")
    assert [titles.get(lang) for lang in ("kk", "ru", "en", "de")] == ["қаз", "рус", "eng", "қаз"]


def test_cl13_cl18_ground_values_are_strings_for_storage() -> None:
    assert ExclusionGround("18.8") is ExclusionGround.CRIME_OR_RELEASE_FROM_LIABILITY
    assert RefusalGround("13.2") == "13.2"
