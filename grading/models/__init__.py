"""Grading models: marks and work types (marks.py), final marks and retakes (finals.py),
sessions, assessments and retake applications (sessions.py), the register of course works
(course_works.py), practice marks (practice.py)."""

from .course_works import CourseWork  # noqa: F401
from .finals import FinalMark, FinalMarkCorrection, Retake  # noqa: F401
from .marks import CorrectionRequest, Mark, WorkType  # noqa: F401
from .practice import PracticeMark  # noqa: F401
from .sessions import Assessment, RetakeApplication, Session  # noqa: F401
