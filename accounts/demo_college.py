"""The demo college: a техникум with two branches, each its own tenant (regulation 002: Касли,
Верхний Уфалей), and the college's people. Later apps add its specialities, groups, sessions
and a retake (schedule/demo_college.py, grading/demo_college.py). Kept small: groups of a few
students, so that the demo stays fast.

What later demo builders may use: ctx.college = {"schools": [Касли, Верхний Уфалей],
"teachers": {slug: [User]}, "curators": {slug: [User]}}; the named accounts in ctx.named.
"""

from django.utils.translation import gettext_lazy as _

from .models import Role, School
from .services import grant_role

COLLEGE_SLUGS = ("college-kasli", "college-ufaley")

# The accounts the run command prints for the college (accounts.demo.DEMO_ACCOUNTS adds them).
COLLEGE_ACCOUNTS = [
    ("c_deputy", _("Заместитель директора по УВР, техникум (Касли)")),
    ("c_teacher", _("Преподаватель, техникум (Касли)")),
    ("c_curator", _("Куратор группы 2-го курса (15.02.08), техникум (Касли)")),
    ("c_student", _("Студент 2-го курса (15.02.08), техникум (Касли)")),
    ("c_parent", _("Родитель студента 2-го курса, техникум (Касли)")),
]


def build(ctx) -> None:
    kasli = School.objects.create(
        name="ГБПОУ «Каслинский промышленно-гуманитарный техникум»",
        short_name="КПГТ, Касли",
        slug=COLLEGE_SLUGS[0],
        kind=School.Kind.COLLEGE,
    )
    ufaley = School.objects.create(
        name="Филиал ГБПОУ «Каслинский промышленно-гуманитарный техникум» в г. Верхний Уфалей",
        short_name="КПГТ, Верхний Уфалей",
        slug=COLLEGE_SLUGS[1],
        kind=School.Kind.COLLEGE,
    )
    college = {"schools": [kasli, ufaley], "teachers": {}, "curators": {}}
    for username, role in (("c_director", Role.DIRECTOR), ("c_deputy", Role.DEPUTY)):
        user = ctx.make_user(username)
        grant_role(kasli, user, role)
        ctx.named[username] = user
    # The branch's own deputy (002 §1.6: «заместитель директора по учебной работе, г. В.Уфалей»).
    ctx.named["c_deputy2"] = ctx.make_user("c_deputy2")
    grant_role(ufaley, ctx.named["c_deputy2"], Role.DEPUTY)
    for school, named in ((kasli, ["c_teacher", "c_curator"]), (ufaley, [])):
        teachers = []
        for i in range(6):
            user = ctx.make_user(named[i] if i < len(named) else None)
            grant_role(school, user, Role.TEACHER)
            teachers.append(user)
            if i < len(named):
                ctx.named[named[i]] = user
        college["teachers"][school.slug] = teachers
    ctx.college = college
