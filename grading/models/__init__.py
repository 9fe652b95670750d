"""Grading models: marks and work types (marks.py), final marks and retakes (finals.py),
sessions, assessments and retake applications (sessions.py)."""

from .finals import FinalMark, FinalMarkCorrection, Retake  # noqa: F401
from .marks import CorrectionRequest, Mark, WorkType  # noqa: F401
from .sessions import Assessment, RetakeApplication, Session  # noqa: F401
