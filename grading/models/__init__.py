"""Grading models: marks and work types (marks.py), final marks and retakes (finals.py)."""

from .finals import FinalMark, FinalMarkCorrection, Retake  # noqa: F401
from .marks import CorrectionRequest, Mark, WorkType  # noqa: F401
