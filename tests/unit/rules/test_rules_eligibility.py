"""Who may take part in a selection: cl. 4 and cl. 5 (rules.md A-03 to A-06, A-29)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.rules.eligibility import (
    BarredCategory,
    CandidateFacts,
    Education,
    EducationLevel,
    EmploymentKind,
    EmploymentPeriod,
    FlagCode,
    ReasonCode,
    age_on,
    check_eligibility,
    experience_days,
    required_experience_days,
)
from portal.rules.grounds import RefusalGround
from portal.rules.terms import add_years

ON = date(2025, 2, 20)
BACHELOR = (Education(EducationLevel.BACHELOR),)


def facts(
    *,
    birth: date = date(1995, 6, 1),
    citizenships: frozenset[str] = frozenset({"KZ"}),
    education: tuple[Education, ...] = BACHELOR,
    employment: tuple[EmploymentPeriod, ...] = (EmploymentPeriod(date(2018, 9, 1)),),
    barred: frozenset[BarredCategory] = frozenset(),
) -> CandidateFacts:
    return CandidateFacts(
        birth_date=birth, citizenships=citizenships, education=education, employment=employment, barred=barred
    )


def codes(f: CandidateFacts, on: date = ON) -> list[ReasonCode]:
    return [r.code for r in check_eligibility(f, on).reasons]


def test_cl4_eligible_candidate_has_no_reasons() -> None:
    result = check_eligibility(facts(), ON)
    assert result.eligible
    assert result.reasons == ()
    assert result.flags == ()
    assert result.refusal_ground is None
    assert result.age == 29


# --- age (cl. 4, rules.md A-04) --------------------------------------------------------------------


def test_cl4_age_35_until_day_before_36th_birthday() -> None:
    birth = date(1990, 5, 15)
    assert age_on(birth, date(2026, 5, 14)) == 35
    assert check_eligibility(facts(birth=birth), date(2026, 5, 14)).eligible
    assert age_on(birth, date(2026, 5, 15)) == 36
    assert codes(facts(birth=birth), date(2026, 5, 15)) == [ReasonCode.AGE_OVER_35]


def test_cl4_eligible_on_eve_of_36th_birthday_across_a_leap_day() -> None:
    birth = date(1989, 2, 21)
    on = date(2025, 2, 20)  # 36th birthday tomorrow; 29 Feb 2024 lies in the 36th year
    assert age_on(birth, on) == 35
    assert check_eligibility(facts(birth=birth), on).eligible
    assert not check_eligibility(facts(birth=birth), on + timedelta(days=1)).eligible


def test_cl4_29_february_birthday_turns_on_28_february_in_non_leap_years() -> None:
    birth = date(1992, 2, 29)
    assert age_on(birth, date(2027, 2, 27)) == 34
    assert age_on(birth, date(2027, 2, 28)) == 35
    assert age_on(birth, date(2028, 2, 28)) == 35
    assert age_on(birth, date(2028, 2, 29)) == 36


def test_cl4_29_february_birthday_36th_in_a_non_leap_year() -> None:
    birth = date(2064, 2, 29)  # 2100 is not a leap year
    employment = (EmploymentPeriod(date(2090, 1, 1)),)
    assert check_eligibility(facts(birth=birth, employment=employment), date(2100, 2, 27)).eligible
    assert codes(facts(birth=birth, employment=employment), date(2100, 2, 28)) == [ReasonCode.AGE_OVER_35]


def test_cl4_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@settings(max_examples=300, deadline=None)
@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31)),
    years=st.integers(min_value=1, max_value=90),
)
def test_cl4_a04_turns_n_on_the_nth_birthday_and_not_a_day_before(birth: date, years: int) -> None:
    birthday = add_years(birth, years)  # 29 Feb -> 28 Feb in non-leap years
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1


# --- citizenship (cl. 4, rules.md A-29) ---------------------------------------------------------------


def test_cl4_residence_permit_holder_is_not_a_citizen() -> None:
    assert codes(facts(citizenships=frozenset({"RU"}))) == [ReasonCode.NOT_CITIZEN]
    assert codes(facts(citizenships=frozenset())) == [ReasonCode.NOT_CITIZEN]


def test_cl4_declared_foreign_citizenship_is_refused_a29() -> None:
    result = check_eligibility(facts(citizenships=frozenset({"KZ", "TR"})), ON)
    assert [r.code for r in result.reasons] == [ReasonCode.NOT_CITIZEN]
    assert "TR" in result.reasons[0].detail
    assert check_eligibility(facts(citizenships=frozenset({"kz"})), ON).eligible


# --- higher education (cl. 4, rules.md A-05) --------------------------------------------------------


@pytest.mark.parametrize(
    "level",
    [
        EducationLevel.SECONDARY,
        EducationLevel.TECHNICAL_VOCATIONAL,
        EducationLevel.POST_SECONDARY,
        EducationLevel.INCOMPLETE_HIGHER,
    ],
)
def test_cl4_a05_levels_below_higher_do_not_count(level: EducationLevel) -> None:
    assert codes(facts(education=(Education(level),))) == [ReasonCode.NO_HIGHER_EDUCATION]


@pytest.mark.parametrize(
    "level",
    [
        EducationLevel.BACHELOR,
        EducationLevel.SPECIALIST,
        EducationLevel.MASTER,
        EducationLevel.RESIDENCY,
        EducationLevel.PHD,
        EducationLevel.DOCTOR_BY_PROFILE,
    ],
)
def test_cl4_a05_higher_levels_count(level: EducationLevel) -> None:
    assert level.is_higher
    assert check_eligibility(facts(education=(Education(level),)), ON).eligible


def test_cl4_a05_foreign_diploma_is_flagged_for_an_officer() -> None:
    result = check_eligibility(facts(education=(Education(EducationLevel.MASTER, foreign=True),)), ON)
    assert result.eligible
    assert [(f.code, f.clause) for f in result.flags] == [(FlagCode.FOREIGN_DIPLOMA, "4")]
    both = (Education(EducationLevel.BACHELOR), Education(EducationLevel.MASTER, foreign=True))
    assert check_eligibility(facts(education=both), ON).flags == ()


# --- experience (cl. 4, rules.md A-06) -----------------------------------------------------------------


def test_cl4_experience_3_years_0_months_0_days_eligible() -> None:
    on = date(2024, 2, 29)
    period = (EmploymentPeriod(date(2021, 3, 1), date(2024, 2, 29)),)
    assert experience_days(period, on) == required_experience_days(on) == 1096
    assert check_eligibility(facts(employment=period), on).eligible


def test_cl4_experience_2_years_11_months_30_days_not_eligible() -> None:
    on = date(2024, 2, 29)
    period = (EmploymentPeriod(date(2021, 3, 2), date(2024, 2, 29)),)
    result = check_eligibility(facts(employment=period), on)
    assert [r.code for r in result.reasons] == [ReasonCode.EXPERIENCE_UNDER_3_YEARS]
    assert (result.experience_days, result.required_experience_days) == (1095, 1096)


def test_cl4_experience_open_period_runs_to_reference_date_only() -> None:
    on = date(2025, 3, 1)
    assert experience_days([EmploymentPeriod(date(2022, 3, 2))], on) == required_experience_days(on)
    assert experience_days([EmploymentPeriod(date(2022, 3, 3))], on) == required_experience_days(on) - 1
    assert experience_days([EmploymentPeriod(date(2025, 3, 2))], on) == 0
    assert experience_days([EmploymentPeriod(date(2025, 2, 1), date(2026, 1, 1))], on) == 29


def test_cl4_a06_overlapping_periods_counted_once() -> None:
    periods = [
        EmploymentPeriod(date(2020, 1, 1), date(2020, 12, 31)),
        EmploymentPeriod(date(2020, 6, 1), date(2021, 6, 30), EmploymentKind.CIVIL_SERVICE),
        EmploymentPeriod(date(2021, 7, 1), date(2021, 7, 31)),  # adjacent
        EmploymentPeriod(date(2020, 3, 1), date(2020, 3, 31)),  # inside
    ]
    assert experience_days(periods, ON) == (date(2021, 7, 31) - date(2020, 1, 1)).days + 1


def test_cl4_a06_self_employment_needs_officer_acceptance() -> None:
    on = date(2025, 2, 20)
    periods = (
        EmploymentPeriod(date(2023, 1, 1), None),
        EmploymentPeriod(date(2020, 1, 1), date(2022, 12, 31), EmploymentKind.SELF_EMPLOYMENT),
    )
    result = check_eligibility(facts(employment=periods), on)
    assert [r.code for r in result.reasons] == [ReasonCode.EXPERIENCE_UNDER_3_YEARS]
    assert [f.code for f in result.flags] == [FlagCode.EXPERIENCE_NEEDS_REVIEW]
    accepted = (
        periods[0],
        EmploymentPeriod(date(2020, 1, 1), date(2022, 12, 31), EmploymentKind.SELF_EMPLOYMENT, True),
    )
    assert check_eligibility(facts(employment=accepted), on).eligible
    rejected = (
        periods[0],
        EmploymentPeriod(date(2020, 1, 1), date(2022, 12, 31), EmploymentKind.SELF_EMPLOYMENT, False),
    )
    assert check_eligibility(facts(employment=rejected), on).flags == ()


def test_cl4_a06_officer_may_reject_a_labour_contract() -> None:
    period = EmploymentPeriod(date(2018, 1, 1), None, EmploymentKind.LABOUR_CONTRACT, accepted=False)
    assert not period.counted
    assert codes(facts(employment=(period,))) == [ReasonCode.EXPERIENCE_UNDER_3_YEARS]


def test_cl4_employment_period_cannot_end_before_start() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        EmploymentPeriod(date(2020, 1, 2), date(2020, 1, 1))


@st.composite
def period_lists(draw: st.DrawFn) -> list[EmploymentPeriod]:
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31)))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=1500)))
        out.append(EmploymentPeriod(start, None if length is None else start + timedelta(days=length)))
    return out


@settings(max_examples=200, deadline=None)
@given(periods=period_lists(), on=st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31)))
def test_cl4_a06_experience_is_the_size_of_the_union_of_days(
    periods: list[EmploymentPeriod], on: date
) -> None:
    days: set[date] = set()
    for p in periods:
        end = min(on, p.end) if p.end is not None else on
        day = p.start
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    assert experience_days(periods, on) == len(days)


# --- barred categories (cl. 5) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "code"),
    [
        (BarredCategory.PRESIDENTIAL_APPOINTEE, ReasonCode.BARRED_PRESIDENTIAL_APPOINTEE),
        (BarredCategory.POLITICAL_SERVANT, ReasonCode.BARRED_POLITICAL_SERVANT),
        (BarredCategory.CORPS_A, ReasonCode.BARRED_CORPS_A),
        (BarredCategory.PRESIDENTIAL_YOUTH_RESERVE, ReasonCode.BARRED_PRESIDENTIAL_YOUTH_RESERVE),
    ],
)
def test_cl5_barred_categories_are_refused_under_clause_5(category: BarredCategory, code: ReasonCode) -> None:
    result = check_eligibility(facts(barred=frozenset({category})), ON)
    assert not result.eligible
    assert [(r.code, r.clause) for r in result.reasons] == [(code, "5")]
    assert result.refusal_ground is RefusalGround.NON_COMPLIANCE_WITH_RULES


def test_cl4_cl5_every_failure_is_reported_with_its_clause() -> None:
    result = check_eligibility(
        facts(
            birth=date(1980, 1, 1),
            citizenships=frozenset({"UZ"}),
            education=(Education(EducationLevel.SECONDARY),),
            employment=(),
            barred=frozenset({BarredCategory.CORPS_A, BarredCategory.POLITICAL_SERVANT}),
        ),
        ON,
    )
    assert [(r.code, r.clause) for r in result.reasons] == [
        (ReasonCode.NOT_CITIZEN, "4"),
        (ReasonCode.AGE_OVER_35, "4"),
        (ReasonCode.NO_HIGHER_EDUCATION, "4"),
        (ReasonCode.EXPERIENCE_UNDER_3_YEARS, "4"),
        (ReasonCode.BARRED_POLITICAL_SERVANT, "5"),
        (ReasonCode.BARRED_CORPS_A, "5"),
    ]
    assert result.refusal_ground is RefusalGround.NON_COMPLIANCE_WITH_RULES
