"""Small builders for test data. They run with scopes disabled, like an operator would."""

import itertools
from datetime import date

from django_scopes import scopes_disabled

from accounts.models import ParentLink, Pupil, Role, School, User
from accounts.services import grant_role
from schedule.models import Enrolment, SchoolClass

PASSWORD = "test-password-1"
_seq = itertools.count(1)


def make_school(slug=None, **kwargs):
    n = next(_seq)
    slug = slug or f"school{n}"
    return School.objects.create(
        name=f"Школа {slug}", short_name=f"Школа {slug}", slug=slug, **kwargs
    )


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


def make_class(school, grade=5, letter="А", class_teacher=None):
    with scopes_disabled():
        return SchoolClass.objects.create(
            school=school, grade=grade, letter=letter, class_teacher=class_teacher
        )
