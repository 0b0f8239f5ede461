"""Words of the stage screens: import problems and stage names, translated where shown."""

from portal.i18n import N_
from portal.selections.results_import import ProblemCode, ResultStage
from portal.selections.stage_models import ImportStatus

PROBLEM_LABELS: dict[ProblemCode, str] = {
    ProblemCode.UNKNOWN_CANDIDATE: N_("Unknown candidate"),
    ProblemCode.DUPLICATE: N_("The same candidate twice"),
    ProblemCode.SCORE_OUT_OF_RANGE: N_("Score out of range"),
    ProblemCode.SCORE_NOT_A_NUMBER: N_("The score is not a number"),
    ProblemCode.MISSING_SCORE: N_("No score and not marked absent"),
    ProblemCode.WRONG_STAGE: N_("The candidate is not at this stage"),
    ProblemCode.BAD_IIN: N_("The IIN is not valid"),
    ProblemCode.MISSING_IDENTIFIER: N_("No reference or IIN"),
    ProblemCode.BAD_ABSENT_FLAG: N_("The absence mark cannot be read, or an absent candidate has a score"),
    ProblemCode.UNREADABLE_FILE: N_("The file cannot be read: upload a CSV or XLSX file"),
    ProblemCode.MISSING_COLUMN: N_("A required column is missing"),
    ProblemCode.EMPTY_FILE: N_("The file is empty"),
    ProblemCode.TOO_MANY_ROWS: N_("The file has too many rows"),
}
STAGE_NAMES: dict[ResultStage, str] = {
    ResultStage.TESTING: N_("Testing on knowledge of legislation and assessment of personal qualities"),
    ResultStage.COMPETENCY: N_("Competency assessment by the Agency"),
}
IMPORT_STATUS_NAMES: dict[ImportStatus, str] = {
    ImportStatus.PENDING: N_("Waiting for approval"),
    ImportStatus.APPROVED: N_("Approved and stored"),
    ImportStatus.DISCARDED: N_("Discarded"),
}
