"""Who may read and keep the journal page (marks and attendance), and absence reasons.

Objects: Course for the journal page, Lesson for one cell, SchoolClass for a class's absences,
School for the teacher's day. The predicates come from grading.rules (guardian grants, read
with the object where a page loads it with `with_user_perms`).
"""

import rules

from accounts.rules import has_object_perm, is_leadership, is_teaching
from grading.rules import keeps_lesson, reads_course

leads_class = has_object_perm("schedule.manage_class")

# The journal page of a course (object: Course): read by the leadership, the class teacher,
# the course's teachers and whoever substituted one of its lessons; kept by the teachers and
# substitutes (each substitute only in the lesson they held — checked per lesson).
rules.add_perm("journal.view_grid", reads_course)
rules.add_perm("journal.edit_grid", keeps_lesson)
# One cell: a mark and attendance of a pupil in a lesson (object: Lesson).
rules.add_perm("journal.edit_cell", keeps_lesson)
rules.add_perm("journal.view_cell", reads_course)
# «Мои уроки сегодня» (object: School).
rules.add_perm("journal.view_today", is_teaching)
# A class's absences and their reasons (object: SchoolClass): the class teacher sets reasons.
rules.add_perm("journal.view_class_absences", is_leadership | leads_class)
rules.add_perm("journal.set_absence_reasons", leads_class)
# «Журналы» (object: School): the list of journals each reader may open.
rules.add_perm("journal.view_journals", is_leadership | is_teaching)
