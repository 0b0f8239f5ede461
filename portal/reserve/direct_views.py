"""Words of the chapter 2-1 screens: list problems, list and request statuses, translated where shown.

The problems a list shares with the results import (the file, the IIN) keep that import's words.
"""

from portal.i18n import N_
from portal.reserve.direct_import import ListProblemCode
from portal.reserve.direct_models import DIRECT_REQUEST_STATUS_LABELS, DirectRequestStatus, ListImportStatus
from portal.selections.results_import import ProblemCode
from portal.selections.stage_views import IMPORT_STATUS_NAMES
from portal.selections.stage_views import PROBLEM_LABELS as RESULTS_PROBLEM_LABELS

_SHARED = {code.value for code in ProblemCode}
PROBLEM_LABELS: dict[ListProblemCode, str] = {
    **{c: RESULTS_PROBLEM_LABELS[ProblemCode(c.value)] for c in ListProblemCode if c.value in _SHARED},
    ListProblemCode.DUPLICATE: N_("The same person twice, or already on an approved list"),
    ListProblemCode.BAD_DATE: N_("The approval date is not a valid date"),
    ListProblemCode.MISSING_LIST_NUMBER: N_("The list number is empty or too long"),
}
LIST_STATUS_NAMES: dict[ListImportStatus, str] = {
    ListImportStatus(status.value): label for status, label in IMPORT_STATUS_NAMES.items()
}
REQUEST_STATUS_NAMES: dict[DirectRequestStatus, str] = DIRECT_REQUEST_STATUS_LABELS

__all__ = ["LIST_STATUS_NAMES", "PROBLEM_LABELS", "REQUEST_STATUS_NAMES"]
