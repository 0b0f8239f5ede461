"""rules.md A-11 (and A-09 per direction): enrolment against the quota."""

from hypothesis import given
from hypothesis import strategies as st

from portal.rules.enrolment import quota_full, reason_needed


def test_a11_the_quota_is_full_when_reached_never_before() -> None:
    assert not quota_full(2, 3)
    assert quota_full(3, 3)
    assert quota_full(4, 3)  # already beyond (data from before the check): still no further enrolment


def test_a11_fewer_than_the_quota_needs_a_reason_a_full_quota_does_not() -> None:
    assert reason_needed(0, 3)
    assert reason_needed(2, 3)
    assert not reason_needed(3, 3)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_a11_exactly_one_of_full_or_needing_a_reason(enrolled: int, quota: int) -> None:
    assert quota_full(enrolled, quota) != reason_needed(enrolled, quota)
