"""The demo's college (issue 18): an organisation over the branch schools of the техникум —
the ones with the slugs below when the demo already has them (the college's own demo builds
its branches, groups and specialities), or minimal ones made here — with the college's
deputy, who reads both branches, and a head of department of the first branch (both printed
by the run command: accounts.demo.DEMO_ACCOUNTS).

Run last of the demos (reports/demo.py), so the branches and their groups already exist.
"""

from accounts.models import Organisation, OrganisationMembership, Role, School
from accounts.organisations import OrganisationRole
from accounts.services import grant_role
from schedule.departments import Department
from schedule.models import SchoolClass

ORGANISATION = "ГБПОУ «Каслинский промышленно-гуманитарный техникум»"
BRANCHES = [
    ("college-kasli", "Каслинский промышленно-гуманитарный техникум (Касли)", "КПГТ, Касли"),
    (
        "college-ufaley",
        "Каслинский промышленно-гуманитарный техникум, филиал в г. Верхний Уфалей",
        "КПГТ, Верхний Уфалей",
    ),
]


def branches() -> list[School]:
    found = []
    for slug, name, short_name in BRANCHES:
        school = School.objects.filter(slug=slug).first()
        if school is None:
            school = School.objects.create(
                name=name, short_name=short_name, slug=slug, kind=School.Kind.COLLEGE
            )
        found.append(school)
    return found


def build(ctx) -> None:
    schools = branches()
    organisation = Organisation.objects.create(
        name=ORGANISATION,
        short_name="КПГТ",
        slug="kpgt",
        kind=Organisation.Kind.COLLEGE,
    )
    organisation.schools.add(*schools)
    deputy = ctx.make_user("orgdeputy", female=True)
    OrganisationMembership.objects.create(
        organisation=organisation, user=deputy, role=OrganisationRole.DEPUTY
    )
    head = ctx.make_user("headofdept", female=False)
    first = schools[0]
    grant_role(first, head, Role.HEAD_OF_DEPARTMENT)
    department = Department.objects.create(
        school=first, name="Отделение технических специальностей", head=head
    )
    # The groups of the branch this year, if its demo made any (the college's part of the demo).
    groups = SchoolClass.objects.filter(school=first, year__closed_at__isnull=True)
    for group in groups:
        group.department = department
        group.save(update_fields=["department"])
    ctx.named.update({"orgdeputy": deputy, "headofdept": head})
