"""The structured interview's scores (cl. 6(4), 12; rules.md A-12): a rubric of competencies, each
scored 1..scale_max (5 by default) by every commission member; the averaged score per candidate
feeds the commission's recommendation; a calibration view shows how far the members' scores
spread and flags the outliers before the vote.

Pure: the services pass the scores in. Exact arithmetic (Fraction): equal averages stay equal,
so no candidate is ranked above another by a rounding error.

- A member's score on a candidate is the mean over the competencies of their sheet.
- The averaged score is the mean over the members of their own means (A-12: "per member,
  averaged"), so every member weighs the same, whatever the number of competencies. With
  `competencies` given, only complete sheets count: a half-filled sheet is not a score yet.
- An outlier: one member's score on a competency further than `points` (default 2, a setting)
  from the mean of the other members' scores on it. A lone score has no others: never an outlier.
"""

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "DEFAULT_OUTLIER_POINTS",
    "DEFAULT_SCALE_MAX",
    "Spread",
    "average_score",
    "complete",
    "member_average",
    "outliers",
    "spread",
    "valid_score",
]

#: rules.md A-12: competencies x 1-5 by default.
DEFAULT_SCALE_MAX = 5
#: How far (in points) a member's score may lie from the others' mean before it is flagged (A-12).
DEFAULT_OUTLIER_POINTS = 2


@dataclass(frozen=True, slots=True)
class Spread:
    """How the members' scores on one competency of one candidate spread (A-12 calibration).

    `std` is the population standard deviation (the members who scored are the whole panel).
    """

    count: int
    low: int
    high: int
    mean: Fraction
    std: float

    @property
    def range(self) -> int:
        """The distance between the lowest and the highest score (rules.md A-12)."""
        return self.high - self.low


def valid_score(score: object, scale_max: int = DEFAULT_SCALE_MAX) -> bool:
    """Whether a score is on the rubric's scale: a whole number from 1 to scale_max (cl. 6(4), A-12)."""
    return isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= scale_max


def spread(scores: Iterable[int]) -> Spread | None:
    """Lowest, highest, mean and standard deviation of the scores (A-12); None without a score."""
    values = list(scores)
    if not values:
        return None
    mean = Fraction(sum(values), len(values))
    variance = sum((Fraction(v) - mean) ** 2 for v in values) / len(values)
    return Spread(len(values), min(values), max(values), mean, math.sqrt(variance))


def _points(points: int | float | Decimal | Fraction) -> Fraction:
    value = Fraction(str(points))
    if value < 0:
        raise ValueError("the outlier distance cannot be negative")
    return value


def outliers[K: Hashable](
    scores: Mapping[K, int], *, points: int | float | Decimal | Fraction = DEFAULT_OUTLIER_POINTS
) -> frozenset[K]:
    """The members whose score lies more than `points` from the mean of the others' scores (rules.md
    A-12 calibration; cl. 6(4)). With fewer than two scores nobody is an outlier."""
    limit = _points(points)
    if len(scores) < 2:
        return frozenset()
    total, count = sum(scores.values()), len(scores)
    return frozenset(
        member for member, score in scores.items() if abs(score - Fraction(total - score, count - 1)) > limit
    )


def complete(sheet: Mapping[str, int], competencies: Collection[str]) -> bool:
    """Whether a member's sheet scores every competency of the rubric (cl. 6(4), A-12)."""
    return bool(competencies) and all(code in sheet for code in competencies)


def member_average(sheet: Mapping[str, int], competencies: Collection[str] | None = None) -> Fraction:
    """A member's score on a candidate: the mean over the competencies of the sheet (rules.md A-12).

    With `competencies`, only those count (a code no longer in the rubric is ignored).
    """
    values = [score for code, score in sheet.items() if competencies is None or code in competencies]
    if not values:
        raise ValueError("an empty sheet has no average")
    return Fraction(sum(values), len(values))


def average_score[K: Hashable](
    sheets: Mapping[K, Mapping[str, int]], competencies: Collection[str] | None = None
) -> Fraction | None:
    """The candidate's averaged interview score: the mean over the members of their own mean over the
    competencies (cl. 6(4), 12; rules.md A-12). With `competencies`, only complete sheets count.
    None when no (complete) sheet is there: the candidate has no score yet."""
    if competencies is None:
        means = [member_average(sheet) for sheet in sheets.values() if sheet]
    else:
        means = [member_average(s, competencies) for s in sheets.values() if complete(s, competencies)]
    if not means:
        return None
    return sum(means, Fraction(0)) / len(means)
