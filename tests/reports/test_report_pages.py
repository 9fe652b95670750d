"""The report pages' framework: parameters read from the link and checked against the user's
reach, the remembered choice, options, downloads, bad links, and the «Отчёты» page."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from reports.params import default_period, read_params
from schedule.models import SchoolYear
from tests.factories import make_class, make_member, make_school

pytestmark = pytest.mark.django_db


def url(hand, name):
    return school_reverse(hand.school, f"reports:{name}")


def get(client, user, hand, name, **query):
    client.force_login(user)
    return client.get(url(hand, name), query)


def chosen(response):
    params = response.context["params"]
    return params.year.pk, params.span.token, params.scope.token


def test_a_choice_made_by_link_is_remembered_per_report(client, hand, deputy):
    query = {
        "year": hand.year.pk,
        "span": f"period:{hand.q1.pk}",
        "scope": f"class:{hand.fifth.pk}",
    }
    first = get(client, deputy, hand, "progress", **query)
    assert chosen(first) == (hand.year.pk, f"period:{hand.q1.pk}", f"class:{hand.fifth.pk}")
    again = get(client, deputy, hand, "progress")
    assert chosen(again) == chosen(first)
    # Another report remembers its own choice: movement starts from its defaults.
    other = get(client, deputy, hand, "movement", year=hand.year.pk)
    assert other.context["params"].scope.token == "school"
    # A partial link keeps the rest of what was remembered.
    partly = get(client, deputy, hand, "progress", span=f"period:{hand.q2.pk}")
    assert chosen(partly) == (hand.year.pk, f"period:{hand.q2.pk}", f"class:{hand.fifth.pk}")


def test_a_remembered_choice_that_no_longer_fits_falls_back_to_the_defaults(client, hand, deputy):
    get(client, deputy, hand, "progress", year=hand.year.pk, scope=f"class:{hand.tenth.pk}")
    with scopes_disabled():
        hand.tenth.courses.all().delete()
        hand.tenth.enrolments.all().delete()
        hand.tenth.delete()
    response = get(client, deputy, hand, "progress")
    assert response.status_code == 200
    assert response.context["params"].scope.token == "school"
    session = client.session.get("report:progress")
    assert session is None  # forgotten


@pytest.mark.parametrize(
    "name,query,status,message",
    [
        ("attendance", {"span": "month:2025-13"}, 400, "не месяц"),
        ("attendance", {"span": "week:вчера"}, 400, "не дата"),
        ("attendance", {"span": "week:1900-01-01"}, 400, "вне допустимого диапазона"),
        ("progress", {"span": "month:2025-11"}, 400, "не за такой период"),
        ("progress", {"span": "fortnight"}, 400, "не за такой период"),
        ("progress", {"scope": "teacher:1"}, 400, "охват у этого отчёта не выбирается"),
        ("progress", {"scope": "class:abc"}, 400, "Не указано, какой класс"),
        ("progress", {"scope": "class:999999"}, 404, ""),
        ("progress", {"scope": "parallel:7"}, 404, ""),
        ("progress", {"year": "999999"}, 404, ""),
        ("progress", {"span": "period:999999"}, 404, ""),
        ("progress", {"span": "period:x"}, 404, ""),
        ("progress", {"basis": "guess"}, 400, "не вариант параметра «Основа»"),
        ("progress", {"format": "docx"}, 400, "Неизвестный формат выгрузки"),
        ("progress_pupils", {"category": "clever"}, 400, "не вариант параметра «Категория»"),
    ],
)
def test_a_link_that_cannot_be_read_is_answered_with_its_reason(
    client, hand, deputy, name, query, status, message
):
    response = get(client, deputy, hand, name, **{"year": hand.year.pk, **query})
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_number_option_is_checked(client, hand, deputy):
    assert get(client, deputy, hand, "attendance", min="-1").status_code == 400
    assert get(client, deputy, hand, "attendance", min="10001").status_code == 400
    response = get(client, deputy, hand, "attendance", min="3")
    assert response.status_code == 200
    assert "Пропустили не меньше, уроков: 3" in response.content.decode()
    # The option travels with the downloads.
    exports = dict(response.context["exports"])
    assert "format=xlsx" in exports["XLSX"] and "min=3" in exports["XLSX"]


def test_another_years_class_and_period_give_way_to_the_chosen_year(client, hand, deputy):
    with scopes_disabled():
        older = SchoolYear.objects.create(
            school=hand.school, name="2024/2025", start=date(2024, 9, 1), end=date(2025, 8, 31)
        )
        old_class = make_class(hand.school, 4, "А", year=older)
    # The form sends the new year with the old class and period: the year's own are shown.
    response = get(
        client,
        deputy,
        hand,
        "ledger",
        year=hand.year.pk,
        scope=f"class:{old_class.pk}",
    )
    assert response.status_code == 200
    assert response.context["params"].scope.value != old_class.pk
    with scopes_disabled():
        assert response.context["params"].scope.value in set(
            hand.year.classes.values_list("pk", flat=True)
        )
    response = get(client, deputy, hand, "progress", year=older.pk, span=f"period:{hand.q2.pk}")
    assert response.status_code == 200
    assert response.context["params"].span.kind == "year"  # the old year has no periods
    month = get(client, deputy, hand, "attendance", year=hand.year.pk, span="month:2030-01")
    assert month.context["params"].span.token == "month:2026-08"  # the year's last month


def test_a_class_teacher_sees_their_class_and_a_teacher_their_courses(client, hand):
    lead = hand.teachers["class"]
    response = get(client, lead, hand, "progress", year=hand.year.pk)
    assert response.context["params"].scope.token == f"class:{hand.fifth.pk}"
    scopes = [token for token, _label in response.context["choices"]["scopes"]]
    assert scopes == [f"class:{hand.fifth.pk}"]
    assert get(client, lead, hand, "progress", scope="school").status_code == 404
    assert get(client, lead, hand, "progress", scope=f"class:{hand.first.pk}").status_code == 404
    maths = hand.teachers["math"]
    mine = get(client, maths, hand, "progress_subjects", year=hand.year.pk)
    assert mine.context["params"].scope.token == f"teacher:{maths.pk}"
    assert [t for t, _l in mine.context["choices"]["scopes"]] == [f"teacher:{maths.pk}"]
    other = f"teacher:{hand.teachers['russian'].pk}"
    assert get(client, maths, hand, "progress_subjects", scope=other).status_code == 404
    assert get(client, maths, hand, "progress", year=hand.year.pk).status_code == 404


def test_the_reports_page_lists_what_each_user_may_open(client, hand, deputy):
    def titles(user):
        client.force_login(user)
        response = client.get(url(hand, "index"))
        return [str(item["title"]) for item in response.context["items"]]

    everything = titles(deputy)
    assert len(everything) == 15 and everything[0] == "Итоги успеваемости"
    assert everything[-2:] == ["Группа риска", "Активность семей"]
    teacher = titles(hand.teachers["math"])
    assert teacher == [
        "Успеваемость по предметам",
        "Успеваемость по учителям",
        "Выполнение программы",
        "Выдача часов",
        "Замены и отмены",
        "Реестр курсовых работ",
        "Практика",
    ]
    lead = titles(hand.teachers["class"])
    assert "Отчёт классного руководителя за период" in lead and "Выдача часов" in lead
    assert "Группа риска" in lead and "Активность семей" in lead
    # Every listed report opens for its user.
    client.force_login(hand.teachers["math"])
    for item in client.get(url(hand, "index")).context["items"]:
        assert client.get(item["url"], {"year": hand.year.pk}).status_code == 200, item


def test_the_navigation_leads_to_the_reports(client, hand, deputy):
    client.force_login(deputy)
    html = client.get(url(hand, "index")).content.decode()
    assert f'href="{url(hand, "index")}"' in html and ">Отчёты</a>" in html


def test_downloads_are_named_after_the_report(client, hand, deputy):
    response = get(client, deputy, hand, "movement", year=hand.year.pk, format="xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="movement-')
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = get(client, deputy, hand, "movement", year=hand.year.pk, format="csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"


def test_a_period_over_is_the_default_of_a_results_page_the_current_one_elsewhere(hand):
    with scopes_disabled():
        periods = list(hand.year.periods.order_by("start", "grade_from"))
    # 10.12.2025: the second quarter and the first semester run; the first quarter is over.
    day = date(2025, 12, 10)
    assert default_period(periods, day) == hand.q2  # quarters cover more grades
    assert default_period(periods, day, ended=True) == hand.q1
    assert default_period(periods, date(2025, 8, 1), ended=True) == hand.q1  # none over yet


def test_reading_parameters_costs_a_fixed_number_of_queries(
    rf, hand, deputy, django_assert_num_queries
):
    request = rf.get("/", {"year": hand.year.pk, "scope": f"class:{hand.fifth.pk}"})
    request.school = hand.school
    request.school_roles = frozenset({Role.DEPUTY})
    request.user = deputy
    request.session = {}
    with scopes_disabled(), django_assert_num_queries(3):
        # The years, the year's periods, the class (the school is the request's).
        params = read_params(request, "x", spans=("period",), scopes=("class",))
    assert params.scope.label == "класс 5А"


def test_the_same_choice_again_does_not_write_the_session(client, hand, deputy):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = {"year": hand.year.pk, "span": f"period:{hand.q2.pk}", "scope": "school"}
    get(client, deputy, hand, "progress", **query)
    with CaptureQueriesContext(connection) as queries:
        client.get(url(hand, "progress"), query)
    assert not [q for q in queries if "django_session" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        client.get(url(hand, "progress"), {**query, "scope": f"class:{hand.fifth.pk}"})
    assert [q for q in queries if "django_session" in q["sql"]]  # a new choice is kept


def test_reports_of_figures_only_record_no_access_to_personal_data(client, hand, deputy):
    from accounts.models import PersonalDataAccess

    for name, query in (
        ("progress", {}),
        ("progress_subjects", {}),
        ("attendance", {"scope": "school"}),
        ("programme", {}),
    ):
        assert get(client, deputy, hand, name, year=hand.year.pk, **query).status_code == 200
    with scopes_disabled():
        assert not PersonalDataAccess.objects.exists()
    get(client, deputy, hand, "attendance", year=hand.year.pk, scope=f"class:{hand.fifth.pk}")
    with scopes_disabled():
        assert PersonalDataAccess.objects.count() == 1


REPORT_PAGES = [
    "control",
    "progress",
    "progress_pupils",
    "progress_subjects",
    "progress_teachers",
    "ledger",
    "class_report",
    "attendance",
    "movement",
    "programme",
    "hours",
    "substitutions",
]


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_a_report_page_of_a_school_without_a_year_says_so_instead_of_answering_400(client, name):
    school = make_school()
    client.force_login(make_member(school, Role.DEPUTY))
    response = client.get(school_reverse(school, f"reports:{name}"))
    assert response.status_code == 200
    assert "В школе ещё нет учебного года." in response.content.decode()
    assert "Учебные годы" in response.content.decode()
