"""Small builders for test data. They run with scopes disabled, like an operator would."""

import itertools
from datetime import date

from django_scopes import scopes_disabled

from accounts.models import ParentLink, Pupil, Regulation, Role, School, User
from accounts.services import grant_role
from schedule.models import Course, CourseTeacher, Enrolment, SchoolClass, SchoolYear, Subject

PASSWORD = "test-password-1"
_seq = itertools.count(1)


def make_school(slug=None, **kwargs):
    n = next(_seq)
    slug = slug or f"school{n}"
    kwargs.setdefault("name", f"Школа {slug}")
    kwargs.setdefault("short_name", f"Школа {slug}")
    return School.objects.create(slug=slug, **kwargs)


def set_rules(school, **values):
    """Give the school's regulation these values, as if it always had them (a test's setup:
    the lock windows hold from the beginning, not from today)."""
    with scopes_disabled():
        regulation = Regulation.objects.get(school=school)
        for name, value in values.items():
            setattr(regulation, name, value)
        regulation.lock_changes = []
        regulation.save()
    school.regulation = regulation
    return regulation


def make_user(username=None, **kwargs):
    n = next(_seq)
    user = User(
        username=username or f"user{n}",
        last_name=kwargs.pop("last_name", f"Фамилия{n}"),
        first_name=kwargs.pop("first_name", "Имя"),
        patronymic=kwargs.pop("patronymic", "Отчество"),
        **kwargs,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_member(school, role, username=None, **kwargs):
    user = make_user(username, **kwargs)
    with scopes_disabled():
        grant_role(school, user, role)
    return user


def make_pupil(school, school_class=None, user=None, start=date(2020, 9, 1), **kwargs):
    n = next(_seq)
    with scopes_disabled():
        pupil = Pupil.objects.create(
            school=school,
            last_name=kwargs.pop("last_name", f"Ученик{n}"),
            first_name=kwargs.pop("first_name", "Пётр"),
            user=user,
            **kwargs,
        )
        if school_class is not None:
            Enrolment.objects.create(
                school=school, pupil=pupil, school_class=school_class, start=start
            )
        if user is not None:
            grant_role(school, user, Role.PUPIL)
    return pupil


def make_parent(school, pupil, username=None):
    parent = make_member(school, Role.PARENT, username)
    with scopes_disabled():
        ParentLink.objects.create(school=school, parent=parent, pupil=pupil)
    return parent


def make_year(school, first_year=None):
    """The school year starting in September of `first_year` (by default the one holding today)."""
    first_year = first_year or SchoolYear.first_year_for(date.today())
    start, end = SchoolYear.default_bounds(first_year)
    with scopes_disabled():
        return SchoolYear.objects.get_or_create(
            school=school,
            name=SchoolYear.default_name(first_year),
            defaults={"start": start, "end": end},
        )[0]


def make_class(school, grade=5, letter="А", class_teacher=None, year=None, **kwargs):
    with scopes_disabled():
        return SchoolClass.objects.create(
            school=school,
            year=year or make_year(school),
            grade=grade,
            letter=letter,
            class_teacher=class_teacher,
            **kwargs,
        )


def make_subject(school, name="Математика", short_name=None):
    with scopes_disabled():
        return Subject.objects.get_or_create(
            school=school, name=name, defaults={"short_name": short_name or name[:4] + "."}
        )[0]


def make_course(school_class, subject=None, teachers=(), subgroup=None, **kwargs):
    """A course of a class (or of one of its subgroups); its teachers get teach_course."""
    school = school_class.school
    with scopes_disabled():
        course = Course.objects.create(
            school=school,
            year_id=school_class.year_id,
            school_class=school_class,
            subgroup=subgroup,
            subject=subject or (subgroup.subject if subgroup else make_subject(school)),
            **kwargs,
        )
        for teacher in teachers:
            CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
    return course


def regulation_form_data(school, **overrides) -> dict:
    """What the «Положение об ЭЖ» form posts: the school's rules as they are, with overrides."""
    from accounts.forms import RegulationForm

    with scopes_disabled():
        form = RegulationForm(instance=Regulation.objects.get(school=school))
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else field.widget.format_value(value) or str(value)
    data.update({k: str(v) for k, v in overrides.items()})
    return data


def make_organisation(schools, slug=None, **kwargs):
    """An organisation over `schools` (a college and its branches)."""
    from accounts.models import Organisation

    n = next(_seq)
    slug = slug or f"org{n}"
    organisation = Organisation.objects.create(
        name=f"Организация {slug}", short_name=f"Орг. {slug}", slug=slug, **kwargs
    )
    organisation.schools.add(*schools)
    return organisation


def make_org_member(organisation, role="deputy", username=None, **kwargs):
    from accounts.models import OrganisationMembership

    user = make_user(username, **kwargs)
    OrganisationMembership.objects.create(organisation=organisation, user=user, role=role)
    return user
