"""Error pages: Russian, inside the layout, with a way back — never Django's bare English page."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from accounts.navigation import school_reverse
from ops.views import server_error

pytestmark = pytest.mark.django_db


def assert_in_layout(html: str, heading: str):
    assert heading in html
    assert '<header class="top">' in html  # the layout
    assert "Вернуться назад" in html
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF"):
        assert english not in html, english


def test_a_missing_page_is_russian_with_the_school_s_menu(client, world):
    client.force_login(world.users["teacher"])
    response = client.get(school_reverse(world.school, "journal:grid", pk=999999))
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, "Страница не найдена")
    assert school_reverse(world.school, "journal:journals") in html  # the menu is there
    assert school_reverse(world.school, "accounts:dashboard") in html


def test_another_school_s_404_names_no_school(client, world):
    client.force_login(world.users["teacher"])
    response = client.get(school_reverse(world.other_school, "accounts:dashboard"))
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, "Страница не найдена")
    assert world.other_school.short_name not in html


def test_a_forbidden_page_is_russian(client, world):
    client.force_login(world.users["parent"])
    response = client.get(school_reverse(world.school, "journal:journals"))
    assert response.status_code == 403
    assert_in_layout(response.content.decode(), "Нет доступа")


def test_a_refused_form_without_its_csrf_token_is_russian(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["teacher"])
    response = client.post(school_reverse(world.school, "journal:message_new"), {"body": "x"})
    assert response.status_code == 403
    assert_in_layout(response.content.decode(), "Форма устарела")


def test_a_bad_request_and_a_server_error_are_russian():
    request = RequestFactory().get("/")
    from django.views.defaults import bad_request

    response = bad_request(request, SuspiciousOperation("x"))
    assert response.status_code == 400
    assert_in_layout(response.content.decode(), "Неверный запрос")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert_in_layout(html, "Ошибка на сервере")
    assert "boom" not in html


def test_the_generic_too_many_requests_page_is_russian():
    assert_in_layout(render_to_string("429.html"), "Слишком много запросов")


def test_permission_denied_says_nothing_of_its_exception(client, world, settings):
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    request.user = world.users["parent"]
    html = permission_denied(request, PermissionDenied("secret reason")).content.decode()
    assert "secret reason" not in html
    assert "Нет доступа" in html


def test_a_staff_code_s_role_has_no_default(client, world):
    client.force_login(world.users["admin"])
    url = school_reverse(world.school, "accounts:staff_codes")
    html = client.get(url).content.decode()
    assert '<option value="" selected>— выберите роль —</option>' in html
    response = client.post(url, {"role": "", "form_token": "t1"})
    assert response.status_code == 400
    assert "Выберите роль" in response.content.decode()


def test_the_school_s_time_zone_is_chosen_from_russia_s_zones(client, world):
    client.force_login(world.users["admin"])
    html = client.get(school_reverse(world.school, "accounts:settings")).content.decode()
    assert "Екатеринбург (МСК+2)" in html and 'name="timezone"' in html and "<select" in html


def test_the_course_form_speaks_russian(client, world):
    client.force_login(world.users["admin"])
    html = client.get(school_reverse(world.school, "schedule:course_create")).content.decode()
    for english in ("School class", "Subject", "Subgroup"):
        assert english not in html
    assert "Класс" in html and "Предмет" in html and "Подгруппа" in html


def test_the_login_log_shows_browser_and_system(client, world):
    from django_scopes import scopes_disabled

    from accounts.models import LoginEvent

    with scopes_disabled():
        LoginEvent.objects.create(
            user=world.users["teacher"],
            school=world.school,
            user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        )
    client.force_login(world.users["admin"])
    html = client.get(school_reverse(world.school, "accounts:logins")).content.decode()
    assert "Chrome 120, Windows 10/11" in html
    assert ">Mozilla/5.0" not in html
