"""The school's regulation: one row of rules, from a preset, on «Положение об ЭЖ» with what
each rule means, refused out of range, with its history; nothing else stores a rule."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from accounts.models import Regulation, Role, School
from accounts.navigation import school_reverse
from accounts.regulation_explained import RULE_FIELDS, explain
from tests.factories import make_member, make_school, regulation_form_data

pytestmark = pytest.mark.django_db

NOT_RULES = {"id", "school", "preset", "lock_changes"}


def test_every_rule_of_the_regulation_is_on_the_settings_page():
    fields = {f.name for f in Regulation._meta.concrete_fields} - NOT_RULES
    assert set(RULE_FIELDS) == fields
    assert len(RULE_FIELDS) == len(set(RULE_FIELDS))


def test_a_new_school_starts_from_the_preset_of_its_kind():
    school = make_school()
    college = make_school(kind=School.Kind.COLLEGE)
    assert school.regulation.preset == "school"
    assert (school.regulation.credit_scale, school.regulation.homework_minutes) == ("pass_fail", 90)
    assert school.regulation.grade_without_marks(1) and not school.regulation.grade_without_marks(5)
    assert college.regulation.preset == "college"
    assert (college.regulation.credit_scale, college.regulation.homework_minutes) == ("five", 180)
    assert not college.regulation.grade_without_marks(1)
    assert (
        school.regulation.retention_journal_years,
        school.regulation.retention_ledger_years,
    ) == (
        5,
        25,
    )


def test_the_page_says_in_plain_russian_what_each_rule_means(client):
    school = make_school()
    client.force_login(make_member(school, Role.DEPUTY))
    page = client.get(school_reverse(school, "accounts:regulation")).content.decode()
    for sentence in (
        "Тема урока и посещаемость вносятся в день урока.",
        "не позднее чем через 1 час 30 минут после последнего урока класса",
        "Отметки можно менять 7 дней после урока",
        "Код доступа действует 30 дней после выдачи.",
        "Без отметок учатся классы параллелей 1",
        "Журналы хранятся 5 лет.",
        "Сводные ведомости успеваемости хранятся 25 лет.",
    ):
        assert sentence in page, sentence
    sentences = explain(school.regulation)
    assert set(sentences) == set(RULE_FIELDS)


def test_the_administrator_changes_the_rules_with_history_and_the_order_is_printed(client):
    school = make_school()
    admin = make_member(school, Role.ADMIN)
    client.force_login(admin)
    data = regulation_form_data(
        school,
        order_number="706-О",
        order_date="2020-10-06",
        records_days=1,
        homework_rule="by_time",
        homework_time="19:30",
        min_mark_days_per_week=2,
        no_marks_grades="1, 2",
    )
    response = client.post(school_reverse(school, "accounts:regulation_edit"), data)
    assert response.status_code == 302
    with scopes_disabled():
        regulation = Regulation.objects.get(school=school)
    assert regulation.order_label == "Приказ № 706-О от 06.10.2020"
    assert regulation.no_marks_grade_set() == {1, 2}
    assert regulation.history.first().history_user == admin
    page = client.get(school_reverse(school, "accounts:regulation")).content.decode()
    assert "Приказ № 706-О от 06.10.2020" in page
    assert "Домашнее задание вносится в день урока до 19:30." in page
    assert "не реже 2 раз в неделю" in page


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("lock_marks_days", "61", "Срок закрытия отметок — от 0 до 60."),
        ("homework_minutes", "-5", "Срок внесения домашнего задания — от 0 до 720."),
        ("final_marks_days", "40", "Срок итоговых отметок — от -14 до 14."),
        ("access_code_days", "0", "Срок действия кода — от 1 до 365."),
        ("retention_ledger_years", "200", "Срок хранения сводных ведомостей — от 1 до 100."),
        ("no_marks_grades", "1, первый", "Укажите номера параллелей через запятую"),
        ("lock_topics_days", "семь", "Введите целое число."),
    ],
)
def test_a_value_out_of_range_is_refused_with_its_message_and_nothing_is_saved(
    client, field, value, message
):
    school = make_school()
    client.force_login(make_member(school, Role.ADMIN))
    data = regulation_form_data(school, **{field: value, "order_number": "12"})
    response = client.post(school_reverse(school, "accounts:regulation_edit"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'value="12"' in page
    with scopes_disabled():
        assert Regulation.objects.get(school=school).order_number == ""


def test_a_preset_fills_every_rule_and_keeps_the_schools_document(client):
    school = make_school()
    with scopes_disabled():
        regulation = Regulation.objects.get(school=school)
        regulation.order_number, regulation.lock_marks_days = "5-о", 3
        regulation.save()
    client.force_login(make_member(school, Role.ADMIN))
    url = school_reverse(school, "accounts:regulation_preset")
    assert client.post(url, {"preset": "college"}).status_code == 302
    with scopes_disabled():
        regulation = Regulation.objects.get(school=school)
    assert (regulation.preset, regulation.credit_scale) == ("college", "five")
    assert (regulation.order_number, regulation.lock_marks_days) == ("5-о", 7)


def test_the_rules_that_were_scattered_live_only_in_the_regulation():
    """School.records_lock_days and access_code_days, GradingSettings, the digest's schedule
    and PLAN_DEADLINE_DAYS are gone: no app's code mentions them."""
    gone = ("records_lock_days", "GradingSettings", "PLAN_DEADLINE_DAYS", "DEFAULT_WEEKDAY")
    base = Path(settings.BASE_DIR)
    for app in ("accounts", "schedule", "grading", "journal", "reports", "archive", "lib"):
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            for name in gone:
                assert name not in text, f"{path}: {name}"


SERVER_CLOCK = {("timezone", "localdate"), ("date", "today"), ("datetime", "now")}


def test_no_school_facing_code_asks_the_servers_date():
    """A school's day is school.today(): the server's (or Moscow's) date is never asked."""
    base = Path(settings.BASE_DIR)
    found = []
    for app in ("accounts", "schedule", "grading", "journal", "reports", "archive", "lib"):
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and (node.func.value.id, node.func.attr) in SERVER_CLOCK
                    and not node.args
                ):
                    found.append(f"{path.relative_to(base)}:{node.lineno}")
    assert found == []


def test_the_lock_windows_keep_their_history():
    school = make_school()
    regulation = school.regulation
    assert regulation.lock_changes == [
        {"from": date.min.isoformat(), "mark": 7, "attendance": 7, "topic": 7}
    ]
    regulation.lock_topics_days = 10
    regulation.save()
    regulation.lock_topics_days = 12
    regulation.save()  # the same day: the day's last value holds
    assert regulation.lock_changes[1:] == [
        {"from": school.today().isoformat(), "mark": 7, "attendance": 7, "topic": 12}
    ]
