"""A course's journal page shows its attendance and homework (schedule.versions)."""

from schedule.versions import follow

from .models import Attendance, Homework

follow(Attendance, "lesson")
follow(Homework, "course")
