"""The printed weekly report of a class, for parents without electronic access."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from grading.models import FinalMark
from reports.services import weekly
from tests.factories import make_pupil

from .builders import add_absence, add_mark, build_family, fill_week

pytestmark = pytest.mark.django_db


def path(family, **query):
    url = reverse(
        "reports:weekly_pdf",
        kwargs={"school_slug": family.school.slug, "pk": family.school_class.pk},
    )
    return url + "?" + "&".join(f"{k}={v}" for k, v in {"week": family.monday, **query}.items())


def test_the_class_teacher_prints_the_class_a_page_per_pupil(client):
    family = build_family(subjects=2, days=3, per_day=2)
    sister = make_pupil(family.school, family.school_class, last_name="Андреева")
    add_mark(family.lessons[0], sister, "3", comment="Повторить правило")
    client.force_login(family.class_teacher)
    response = client.get(path(family))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    with scopes_disabled():
        document = weekly.render_document(family.school, family.school_class, family.monday)
    assert len(document.pages) == 2


def test_the_report_says_marks_absences_and_averages(client):
    family = build_family(subjects=1)
    fill_week(family, days=4, per_day=1)
    with scopes_disabled():
        FinalMark.objects.create(
            school=family.school,
            pupil=family.pupil,
            course=family.courses[0],
            period=family.period,
            kind=FinalMark.Kind.PERIOD,
            value=FinalMark.Value.FOUR,
            set_by=family.teacher,
        )
    add_absence(family.lessons[0], family.pupil, "ill")
    client.force_login(family.class_teacher)
    page = client.get(path(family, html=1)).content.decode()
    assert family.pupil.full_name in page
    assert "Предмет 1" in page and "Молодец" in page
    assert "б (б — по болезни)" in page
    assert "итог: 4" in page
    assert "<table" not in page  # few boxes: no table cells to lay out


def test_the_report_costs_the_same_queries_for_any_class_size():
    counts = []
    for pupils in (1, 25):
        family = build_family(subjects=3, days=5, per_day=3)
        for n in range(pupils - 1):
            pupil = make_pupil(family.school, family.school_class, last_name=f"Ученик{n}")
            for lesson in family.lessons[::2]:
                add_mark(lesson, pupil, "4")
        with scopes_disabled(), CaptureQueriesContext(connection) as queries:
            items, _period = weekly.class_week(family.school_class, family.monday)
        assert len(items) == pupils
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7, counts


def test_thirty_pupils_print_in_a_few_seconds():
    family = build_family(subjects=8, days=5, per_day=6)
    for n in range(29):
        pupil = make_pupil(family.school, family.school_class, last_name=f"Ученик{n}")
        for lesson in family.lessons[::3]:
            add_mark(lesson, pupil, "5", comment="Хорошо")
    with scopes_disabled():
        started = time.perf_counter()
        document = weekly.render_document(family.school, family.school_class, family.monday)
        pdf = document.write_pdf()
        elapsed = time.perf_counter() - started
    assert len(document.pages) == 30 and pdf.startswith(b"%PDF")
    # About 2 s on an idle machine (two cores); generous for a loaded one.
    assert elapsed < 30, elapsed


def test_too_few_marks_print_not_a_forecast_but_n_a_with_a_decimal_comma(client):
    family = build_family(subjects=1, days=2, per_day=1, absences=False)  # marks 5 and 4
    client.force_login(family.class_teacher)
    page = client.get(path(family, html=1)).content.decode()
    assert "4,50" in page and "4.50" not in page
    assert "прогноз: н/а — мало отметок" in page
    assert "прогноз: 5" not in page


def test_the_printout_for_paper_families_holds_only_those_who_asked(client):
    family = build_family(subjects=1, days=1, per_day=1)
    sister = make_pupil(family.school, family.school_class, last_name="Андреева")
    with scopes_disabled():
        sister.paper_diary = True
        sister.save()
    client.force_login(family.class_teacher)
    page = client.get(path(family, html=1, paper=1)).content.decode()
    assert sister.full_name in page and family.pupil.full_name not in page
    whole = client.get(path(family, html=1)).content.decode()
    assert sister.full_name in whole and family.pupil.full_name in whole
