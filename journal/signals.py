"""A course's journal page shows its attendance and homework (schedule.versions); the plan's
topics are followed too, for the pages that count plan against fact (the control of journal
keeping in reports, kept in the cache per version)."""

from schedule.versions import follow

from .models import Attendance, Homework, PlanTopic

follow(Attendance, "lesson")
follow(Homework, "course")
follow(PlanTopic, "course")
