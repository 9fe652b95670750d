"""Journal models: attendance (attendance.py), the plan (plan.py), homework (homework.py),
make-ups of missed topics (makeups.py)."""

from .attendance import Attendance  # noqa: F401
from .homework import Homework, HomeworkAttachment  # noqa: F401
from .makeups import MakeupProtocol  # noqa: F401
from .messages import (  # noqa: F401
    Announcement,
    Message,
    NotificationSettings,
    Thread,
    ThreadParticipant,
)
from .plan import LessonRecord, PlanTopic  # noqa: F401
from .visits import DiaryVisit  # noqa: F401
