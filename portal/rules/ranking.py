"""Who advances to the next stage (cl. 10; rules.md A-08, A-09, A-13, A-40).

cl. 10 para 1: after each stage the candidates with the highest results advance.
cl. 10 para 2: the commission sets the maximum number advancing (`limit`), on the stage results.
cl. 10 para 3: with equal results, more than that number may advance. Default (rules.md A-08):
everyone tied with the last place advances (`include_ties=True`). With `include_ties=False`
the tied group that straddles the cut is neither advanced nor dropped: it is returned as
`pending_tie_break` with the number of seats left, for the commission's documented tie-break
rule (for example: call `advance` again on those candidates with a sub-score). The portal never
breaks a tie by submission time or alphabet; equal scores keep their input order and share a rank.

Absent candidates (score None, rules.md A-13) rank below every score and never advance.
`min_score` (rules.md A-40) is an extra condition: below it nobody advances, whatever the limit.
Per-direction quotas (rules.md A-09) are the same call per direction: `advance_per_direction`.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

__all__ = ["Ranking", "advance", "advance_per_direction"]


@dataclass(frozen=True, slots=True)
class Ranking[K: Hashable]:
    """The outcome of one cut-off decision (cl. 10).

    `advanced`: best first. `not_advanced`: everyone else in rank order (present candidates by
    score, then the absent); it includes `pending_tie_break`. `cut_score`: the score of the
    last place within the limit (the lowest advancing score when fewer qualify); None when nobody
    can advance. `tied_at_cut`: the candidates sharing `cut_score` when their group crosses the
    limit (empty when the limit falls cleanly). `ranks`: competition ranks of present candidates
    ([90, 85, 85, 80] -> 1, 2, 2, 4).
    """

    advanced: tuple[K, ...]
    not_advanced: tuple[K, ...]
    tied_at_cut: tuple[K, ...]
    cut_score: Decimal | None
    pending_tie_break: tuple[K, ...]
    seats_for_tie_break: int
    absent: tuple[K, ...]
    below_min_score: tuple[K, ...]
    ranks: Mapping[K, int] = field(hash=False)
    limit: int
    include_ties: bool
    min_score: Decimal | None


def advance[K: Hashable](
    scores: Mapping[K, Decimal | None],
    limit: int,
    *,
    include_ties: bool = True,
    min_score: Decimal | None = None,
) -> Ranking[K]:
    """Rank one stage and apply the commission's cut (cl. 10 paras 1-3; rules.md A-08, A-13, A-40).

    The best `limit` candidates advance; when `include_ties` (default, A-08) everyone tied with
    the last place advances too (cl. 10 para 3), otherwise that tied group is left in
    `pending_tie_break`. Absent (None) ranks below every score and never advances (A-13);
    scores below `min_score` never advance (A-40).
    """
    if limit < 0:
        raise ValueError("the number advancing (cl. 10 para 2) cannot be negative")

    present: list[tuple[K, Decimal]] = []
    absent: list[K] = []
    for key, score in scores.items():
        if score is None:
            absent.append(key)
        elif score.is_nan():
            raise ValueError("a stage result cannot be NaN")
        else:
            present.append((key, score))
    # Stable: equal scores keep the input order (never a hidden tie-break).
    present.sort(key=_score, reverse=True)

    qualifying = len(present)
    if min_score is not None:
        qualifying = next((i for i, (_, s) in enumerate(present) if s < min_score), len(present))
    cut = _cut([s for _, s in present[:qualifying]], limit, include_ties=include_ties)

    keys = [key for key, _ in present]
    return Ranking(
        advanced=tuple(keys[: cut.advanced]),
        not_advanced=(*keys[cut.advanced :], *absent),
        tied_at_cut=tuple(keys[cut.tied_start : cut.tied_end]),
        cut_score=cut.score,
        pending_tie_break=tuple(keys[cut.advanced : cut.tied_end]) if cut.seats else (),
        seats_for_tie_break=cut.seats,
        absent=tuple(absent),
        below_min_score=tuple(keys[qualifying:]),
        ranks=MappingProxyType(_competition_ranks(present)),
        limit=limit,
        include_ties=include_ties,
        min_score=min_score,
    )


@dataclass(frozen=True, slots=True)
class _Cut:
    advanced: int  # how many of the best advance
    score: Decimal | None
    tied_start: int  # the tied group straddling the limit: positions [tied_start, tied_end)
    tied_end: int
    seats: int  # seats left for a tie-break (include_ties=False only)


def _cut(ordered: list[Decimal], limit: int, *, include_ties: bool) -> _Cut:
    """Where the cut falls in scores sorted best first (cl. 10 paras 2-3)."""
    n = len(ordered)
    if limit == 0 or n == 0:
        return _Cut(0, None, 0, 0, 0)
    if n <= limit:
        return _Cut(n, ordered[-1], 0, 0, 0)
    score = ordered[limit - 1]
    if ordered[limit] != score:
        return _Cut(limit, score, 0, 0, 0)
    first = limit - 1
    while first > 0 and ordered[first - 1] == score:
        first -= 1
    end = limit
    while end < n and ordered[end] == score:
        end += 1
    if include_ties:
        return _Cut(end, score, first, end, 0)
    return _Cut(first, score, first, end, limit - first)


def _competition_ranks[K](ordered: list[tuple[K, Decimal]]) -> dict[K, int]:
    """Ranks "1224": equal scores share the rank of the first of them (cl. 10, rules.md 1.3 R-10)."""
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def _score[K](item: tuple[K, Decimal]) -> Decimal:
    return item[1]


def advance_per_direction[K: Hashable, D: Hashable](
    scores: Mapping[K, Decimal | None],
    directions: Mapping[K, D],
    limits: Mapping[D, int],
    *,
    include_ties: bool = True,
    min_score: Decimal | None = None,
) -> dict[D, Ranking[K]]:
    """`advance` once per sectoral direction with its own limit (cl. 3, cl. 10; rules.md A-09).

    Every candidate has exactly one direction, which must have a limit. Directions without
    candidates get an empty ranking.
    """
    groups: dict[D, dict[K, Decimal | None]] = {d: {} for d in limits}
    for key, score in scores.items():
        if key not in directions:
            raise ValueError("every candidate needs a sectoral direction (rules.md A-09)")
        direction = directions[key]
        if direction not in groups:
            raise ValueError("a candidate's direction has no limit (rules.md A-09)")
        groups[direction][key] = score
    return {
        d: advance(group, limits[d], include_ties=include_ties, min_score=min_score)
        for d, group in groups.items()
    }
