"""Speed goal of issue 3: `portal.rules.ranking.advance` over 10,000 candidates in under 50 ms.

Reported, not asserted (`make bench`). Scores are Decimals in half-point steps from 0 to 100, so
about 50 candidates share each score, plus 5 % absent candidates; the limit cuts through a tied group.
Run: .venv/bin/python bench/rules_bench.py [--candidates N] [--runs R]
"""

import argparse
import random
import statistics
import time
from decimal import Decimal

from portal.rules.ranking import advance

GOAL_MS = 50.0


def make_scores(n: int, seed: int = 255) -> dict[str, Decimal | None]:
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    scores: dict[str, Decimal | None] = {}
    for i in range(n):
        absent = rng.random() < 0.05
        scores[f"candidate-{i:05d}"] = None if absent else Decimal(rng.randint(0, 200)) / 2
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    scores = make_scores(args.candidates)
    limit = args.candidates // 10
    advance(scores, limit)  # warm-up
    timings: list[float] = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = advance(scores, limit)
        timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    verdict = "OK" if median < GOAL_MS else "TOO SLOW"
    print(
        f"advance: {args.candidates} candidates, limit {limit} -> {len(result.advanced)} advanced "
        f"({len(result.tied_at_cut)} tied at the cut)"
    )
    print(
        f"median {median:.2f} ms over {args.runs} runs (min {min(timings):.2f}, max {max(timings):.2f}); "
        f"goal < {GOAL_MS:.0f} ms: {verdict}"
    )


if __name__ == "__main__":
    main()
