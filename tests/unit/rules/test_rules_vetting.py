"""Cl. 11 with cl. 6(4) and 13(3): the conclusion of the background check."""

from hypothesis import given
from hypothesis import strategies as st

from portal.rules.vetting import CHECK_ITEMS, Conclusion, cl11_conclusion, cl11_may_schedule_interview

CODES = [item.code for item in CHECK_ITEMS]


def test_cl11_every_item_clear_clears_the_candidate() -> None:
    assert cl11_conclusion(dict.fromkeys(CODES, "clear")) == Conclusion.CLEARED


def test_cl11_a_missing_reply_keeps_the_check_pending() -> None:
    statuses = dict.fromkeys(CODES[1:], "clear")
    assert cl11_conclusion(statuses) == Conclusion.PENDING


def test_cl13_3_one_adverse_finding_is_non_compliance_even_while_replies_are_awaited() -> None:
    assert cl11_conclusion({CODES[3]: "adverse"}) == Conclusion.NON_COMPLIANT


def test_cl6_4_only_a_cleared_candidate_may_be_scheduled() -> None:
    assert cl11_may_schedule_interview(Conclusion.CLEARED)
    assert not cl11_may_schedule_interview(Conclusion.PENDING)
    assert not cl11_may_schedule_interview(Conclusion.NON_COMPLIANT)


def test_cl11_the_items_have_unique_codes_and_three_languages() -> None:
    assert len(set(CODES)) == len(CODES) == 9
    assert all(item.title.kk and item.title.ru and item.title.en for item in CHECK_ITEMS)


@given(st.dictionaries(st.sampled_from(CODES), st.sampled_from(["pending", "clear", "adverse"])))
def test_cl11_conclusion_is_adverse_first_then_pending_then_clear(statuses: dict[str, str]) -> None:
    conclusion = cl11_conclusion(statuses)
    if "adverse" in statuses.values():
        assert conclusion == Conclusion.NON_COMPLIANT
    elif len(statuses) == len(CODES) and set(statuses.values()) == {"clear"}:
        assert conclusion == Conclusion.CLEARED
    else:
        assert conclusion == Conclusion.PENDING
