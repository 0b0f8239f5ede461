"""Enrolment against the selection's quota (cl. 12; rules.md A-09, A-11).

A-11: the commission may enrol **fewer** candidates than the quota, with a recorded reason, and
never **more** (cl. 10 ¶3 on ties concerns advancing to a next stage; enrolment is not a stage).
A-09: where the quota is split by sector direction, each direction's own quota holds the same way.
Chapter 2-1 enrolments are outside the quota (cl. 13-4) and never reach these functions.
"""


def quota_full(enrolled: int, quota: int) -> bool:
    """rules.md A-11 (A-09 per direction): no further enrolment once `enrolled` reaches `quota`."""
    return enrolled >= quota


def reason_needed(enrolled: int, quota: int) -> bool:
    """rules.md A-11: a selection that ends with fewer enrolments than its quota records why."""
    return enrolled < quota


__all__ = ["quota_full", "reason_needed"]
