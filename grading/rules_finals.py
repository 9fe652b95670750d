"""Who may read and set final marks, record retakes and set the school's grading rules.

Objects: Course for final marks and retakes, School for the settings. A course's teachers
hold guardian's schedule.teach_course on it; the class teacher (schedule.manage_class on the
class), the director and the deputy read only. A substitute holds one lesson, not the
course, and sets no final marks.
"""

import rules

from accounts.rules import holds_grant, is_leadership


@rules.predicate(name="teaches_final_course")
def teaches_course(user, course):
    return holds_grant(user, "schedule.teach_course", course)


@rules.predicate(name="leads_final_course_class")
def leads_course_class(user, course):
    return course is not None and holds_grant(user, "schedule.manage_class", course.school_class)


rules.add_perm("grading.view_final_marks", is_leadership | teaches_course | leads_course_class)
rules.add_perm("grading.set_final_marks", teaches_course)
rules.add_perm("grading.record_retake", teaches_course)
