"""Fixtures of the accounts tests: one school with its administrator, a class and codes."""

import re

import pytest
from django_scopes import scopes_disabled

from accounts.models import AccessCode, Role
from tests.factories import make_class, make_member, make_pupil

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_csrf(html: str) -> str:
    """A page with its (per-response, random) CSRF token taken out, to compare pages."""
    return CSRF_INPUT.sub("", html)


@pytest.fixture
def admin(school):
    return make_member(school, Role.ADMIN, last_name="Админова")


@pytest.fixture
def class_teacher(school):
    return make_member(school, Role.TEACHER, last_name="Классова")


@pytest.fixture
def school_class(school, class_teacher):
    return make_class(school, 5, "А", class_teacher=class_teacher)


@pytest.fixture
def pupil(school, school_class):
    return make_pupil(school, school_class, last_name="Смирнова", first_name="Анна")


@pytest.fixture
def issue(school, admin):
    """issue(role, pupil=None, **kw) -> (code, raw), as the administrator."""

    def do(role=Role.TEACHER, pupil=None, **kwargs):
        with scopes_disabled():
            return AccessCode.issue(
                school=school, role=role, created_by=admin, pupil=pupil, **kwargs
            )

    return do
