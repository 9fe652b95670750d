"""A small world for the permission matrix: two schools, every role, own and foreign objects."""

from dataclasses import dataclass

from django_scopes import scopes_disabled

from accounts.models import AccessCode, Consent, Role

from .archive import world_archive
from .factories import (
    make_class,
    make_member,
    make_org_member,
    make_organisation,
    make_parent,
    make_pupil,
    make_school,
    make_user,
)
from .grading import world_practice, world_sessions
from .journal import world_grid, world_plan
from .reports import world_family
from .schedule import world_timetable, world_year


@dataclass
class World:
    school: object
    other_school: object
    users: dict  # actor name -> User (None for anonymous)
    objects: dict  # object name -> model instance

    def __getattr__(self, name):
        objects = self.__dict__.get("objects", {})
        if name in objects:
            return objects[name]
        raise AttributeError(name)

    @classmethod
    def build(cls):
        school = make_school("alpha")
        other_school = make_school("beta")
        users = {
            "anonymous": None,
            "outsider": make_user("outsider"),
            "admin": make_member(school, Role.ADMIN, "admin"),
            "director": make_member(school, Role.DIRECTOR, "director"),
            "deputy": make_member(school, Role.DEPUTY, "deputy"),
            "teacher": make_member(school, Role.TEACHER, "teacher"),
            "class_teacher": make_member(school, Role.TEACHER, "class_teacher"),
            "parent": None,
            "pupil": make_user("pupil"),
            "foreign_admin": make_member(other_school, Role.ADMIN, "foreign_admin"),
            "other_parent": None,
            "foreign_parent": None,
        }
        # Two branches of one college: the organisation's deputy reads both.
        organisation = make_organisation([school, other_school], slug="college")
        users["org_deputy"] = make_org_member(organisation, "deputy", "org_deputy")
        # Another organisation (an education authority over the second school alone).
        other_organisation = make_organisation([other_school], slug="authority")
        make_org_member(other_organisation, "methodologist", "authority_methodologist")
        own_class = make_class(school, 5, "А", class_teacher=users["class_teacher"])
        other_teacher = make_member(school, Role.TEACHER, "other_class_teacher")
        other_class = make_class(school, 6, "Б", class_teacher=other_teacher)
        foreign_class = make_class(other_school, 5, "А")
        own_pupil = make_pupil(school, own_class, user=users["pupil"], last_name="Свой")
        users["parent"] = make_parent(school, own_pupil, "parent")
        other_pupil = make_pupil(school, other_class, last_name="Чужой")
        users["other_parent"] = make_parent(school, other_pupil, "other_parent")
        foreign_pupil = make_pupil(other_school, foreign_class, last_name="Иношкольный")
        users["foreign_parent"] = make_parent(other_school, foreign_pupil, "foreign_parent")
        with scopes_disabled():
            staff_code, _ = AccessCode.issue(
                school=school, role=Role.TEACHER, created_by=users["admin"]
            )
            own_class_code, _ = AccessCode.issue(
                school=school, role=Role.PARENT, created_by=users["class_teacher"], pupil=own_pupil
            )
            other_class_code, _ = AccessCode.issue(
                school=school, role=Role.PARENT, created_by=other_teacher, pupil=other_pupil
            )
            foreign_code, _ = AccessCode.issue(
                school=other_school, role=Role.TEACHER, created_by=users["foreign_admin"]
            )
            teacher_role = users["teacher"].memberships.get(role=Role.TEACHER)
        objects = {
            "own_class": own_class,
            "other_class": other_class,
            "foreign_class": foreign_class,
            "own_pupil": own_pupil,
            "other_pupil": other_pupil,
            "foreign_pupil": foreign_pupil,
            "staff_code": staff_code,
            "foreign_code": foreign_code,
            "own_class_code": own_class_code,
            "other_class_code": other_class_code,
            "teacher_role": teacher_role,
            "foreign_admin_user": users["foreign_admin"],
            "organisation": organisation,
            "other_organisation": other_organisation,
        }
        # The school year: periods, bells, subjects, subgroups, courses, enrolments, uploads.
        world_year.build(school, other_school, users, objects)
        # The timetable: rooms, entries, lessons (one held by the «teacher» as a substitute).
        world_timetable.build(school, other_school, users, objects)
        # The plan (КТП), homework with a file, year marks.
        world_plan.build(school, other_school, users, objects)
        # The journal grid: lessons of today, a course only the leadership reads, corrections.
        world_grid.build(school, other_school, users, objects)
        # The diary, messages, announcements and digests: a second child of the parent.
        world_family.build(school, other_school, users, objects)
        # Consents to the processing of personal data: of the own pupil, another, a foreign one.
        with scopes_disabled():
            for name, pupil, by in (
                ("own_consent", own_pupil, users["class_teacher"]),
                ("other_consent", other_pupil, users["admin"]),
                ("foreign_consent", foreign_pupil, users["foreign_admin"]),
            ):
                objects[name] = Consent.objects.create(
                    school_id=pupil.school_id,
                    pupil=pupil,
                    given_on=pupil.school.today(),
                    given_by="Родитель",
                    recorded_by=by,
                )
        # Course works and practice: the «teacher» supervises the own class's.
        world_practice.build(school, other_school, users, objects)
        # Sessions: an exam of each course, its failing marks, retake applications at each step.
        world_sessions.build(school, other_school, users, objects)
        # The archive: a build with a failed part and a document of each school's year.
        world_archive.build(school, other_school, users, objects)
        # The roles of a college: see tests/matrix.py.
        college_roles(school, users, objects)
        return cls(school=school, other_school=other_school, users=users, objects=objects)


def college_roles(school, users, objects) -> None:
    """A master of industrial training and a педагог ДО keeping the teacher's courses beside
    the teacher; the own class in a department with its head; a specialist for staff."""
    from schedule.departments import Department
    from schedule.models import CourseTeacher, SchoolClass

    users["master"] = make_member(school, Role.MASTER, "master")
    users["extra_teacher"] = make_member(school, Role.EXTRA_TEACHER, "extra_teacher")
    users["head_of_department"] = make_member(school, Role.HEAD_OF_DEPARTMENT, "head")
    users["hr"] = make_member(school, Role.HR, "hr")
    with scopes_disabled():
        for assignment in list(CourseTeacher.objects.filter(teacher=users["teacher"])):
            for keeper in (users["master"], users["extra_teacher"]):
                CourseTeacher.objects.create(
                    school=school, course_id=assignment.course_id, teacher=keeper
                )
        department = Department.objects.create(
            school=school, name="Отделение 1", head=users["head_of_department"]
        )
        SchoolClass.objects.filter(pk=objects["own_class"].pk).update(department=department)
        objects["department"] = department
