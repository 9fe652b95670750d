"""Access codes: issuing, redeeming, refusing, the rate limit and the printable sheet."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from guardian.core import ObjectPermissionChecker

from accounts import views as account_views
from accounts.models import (
    CODE_ALPHABET,
    AccessCode,
    Membership,
    ParentLink,
    Pupil,
    Regulation,
    Role,
    User,
    generate_code,
    hash_code,
    normalize_code,
)
from accounts.navigation import school_reverse
from accounts.services import CODE_REJECTED, CodeRejected, redeem_code, revoke_code
from tests.factories import (
    make_member,
    make_pupil,
    make_school,
    make_user,
    regulation_form_data,
    set_rules,
)

NEW_PASSWORD = "Vesna-kod-2026!"
REDEEM_SESSION_KEY = account_views.REDEEM_SESSION_KEY
CODE_ON_PAGE = re.compile(r'<div class="code">([A-Z0-9-]+)</div>')


def enter_code(client, raw, **extra):
    return client.post(reverse("account:redeem"), {"code": raw}, **extra)


def register(client, username="novikova"):
    return client.post(
        reverse("account:redeem_confirm"),
        {
            "username": username,
            "last_name": "Новикова",
            "first_name": "Ольга",
            "patronymic": "Петровна",
            "email": "",
            "phone": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def active_roles(user, school):
    with scopes_disabled():
        return set(
            Membership.objects.active()
            .filter(user=user, school=school)
            .values_list("role", flat=True)
        )


# The code itself ---------------------------------------------------------------------------


def test_a_code_is_made_of_readable_characters_only():
    assert not set("0O1lI") & set(CODE_ALPHABET)
    codes = [generate_code() for _ in range(300)]
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code) for code in codes)
    assert set("".join(codes).replace("-", "")) <= set(CODE_ALPHABET)
    assert len(set(codes)) == len(codes)


def test_a_code_is_accepted_in_lower_case_and_without_dashes(school, issue):
    code, raw = issue(Role.TEACHER)
    assert hash_code(raw.lower().replace("-", " ")) == code.code_hash


def test_only_the_hash_of_a_code_is_stored(school, issue):
    code, raw = issue(Role.TEACHER, intended_for="Петров П. П.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(c)::text FROM accounts_accesscode c")
        rows = " ".join(row[0] for row in cursor.fetchall())
    assert code.code_hash in rows  # the row is really there
    assert raw not in rows
    assert normalize_code(raw) not in rows
    assert code.code_hash == hash_code(raw)
    assert code.hint == normalize_code(raw)[-4:]


# Issuing --------------------------------------------------------------------------------------


def test_the_administrator_issues_a_staff_code_that_is_shown_only_once(client, school, admin):
    client.force_login(admin)
    url = school_reverse(school, "accounts:staff_codes")
    response = client.post(url, {"role": Role.TEACHER, "intended_for": "Петров Пётр"})
    assert response.status_code == 200
    raw = re.search(r'id="issued-code">([A-Z0-9-]+)<', response.content.decode())[1]
    with scopes_disabled():
        code = AccessCode.objects.get(code_hash=hash_code(raw))
    assert (code.school, code.role, code.created_by) == (school, Role.TEACHER, admin)
    assert code.intended_for == "Петров Пётр"
    assert code.expires_at.date() == (timezone.now() + timedelta(days=30)).date()

    listing = client.get(url).content.decode()
    assert f"…{code.hint}" in listing
    assert raw not in listing


def test_the_staff_code_form_refuses_a_family_role_with_400(client, school, admin):
    client.force_login(admin)
    response = client.post(school_reverse(school, "accounts:staff_codes"), {"role": Role.PARENT})
    assert response.status_code == 400
    with scopes_disabled():
        assert not AccessCode.objects.exists()


def test_a_code_lasts_as_many_days_as_the_school_sets(school, admin):
    set_rules(school, access_code_days=7)
    with scopes_disabled():
        code, _raw = AccessCode.issue(school=school, role=Role.TEACHER, created_by=admin)
    assert timedelta(days=6, hours=23) < code.expires_at - timezone.now() <= timedelta(days=7)


def test_the_code_lifetime_rule_refuses_a_bad_value_with_400_and_keeps_the_rest(
    client, school, admin
):
    client.force_login(admin)
    data = regulation_form_data(school, access_code_days=400, order_number="706-О")
    response = client.post(school_reverse(school, "accounts:regulation_edit"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Срок действия кода — от 1 до 365." in page
    assert 'value="706-О"' in page
    with scopes_disabled():
        regulation = Regulation.objects.get(school=school)
    assert (regulation.access_code_days, regulation.order_number) == (30, "")


def test_the_class_teacher_issues_a_printable_sheet_with_a_slip_for_every_pupil(
    client, school, school_class, class_teacher
):
    pupils = [make_pupil(school, school_class, last_name=f"Ученица{n}") for n in range(4)]
    outsider = make_pupil(school, None, last_name="Непринятая")
    client.force_login(class_teacher)
    url = school_reverse(school, "schedule:class_codes", pk=school_class.pk)
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"roles": [Role.PARENT, Role.PUPIL], "only_missing": "on", "output": "html"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="slip"') == 2 * len(pupils)
    for pupil in pupils:
        assert html.count(pupil.full_name) >= 2
    assert outsider.last_name not in html
    # Each slip names the page where the code is typed in, for parents reading it on paper.
    assert html.count("http://testserver/code/") == 2 * len(pupils)
    raws = CODE_ON_PAGE.findall(html)
    assert len(set(raws)) == 2 * len(pupils)
    with scopes_disabled():
        issued = {
            (c.pupil_id, c.role)
            for c in AccessCode.objects.filter(code_hash__in=[hash_code(r) for r in raws])
        }
    assert issued == {(p.pk, role) for p in pupils for role in (Role.PARENT, Role.PUPIL)}

    # Issued again with «only missing», nobody gets a second code.
    again = client.post(
        url, {"roles": [Role.PARENT, Role.PUPIL], "only_missing": "on", "output": "html"}
    )
    assert again.status_code == 302
    with scopes_disabled():
        assert AccessCode.objects.count() == 2 * len(pupils)


def test_the_printable_sheet_is_also_a_real_pdf(client, school, school_class, class_teacher):
    make_pupil(school, school_class, last_name="Волкова")
    make_pupil(school, school_class, last_name="Зайцев")
    client.force_login(class_teacher)
    response = client.post(
        school_reverse(school, "schedule:class_codes", pk=school_class.pk),
        {"roles": [Role.PARENT], "only_missing": "on", "output": "pdf"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000
    with scopes_disabled():
        assert AccessCode.objects.filter(role=Role.PARENT).count() == 2


def test_the_class_teacher_revokes_a_code_and_it_no_longer_works(
    client, school, school_class, class_teacher, pupil
):
    with scopes_disabled():
        code, raw = AccessCode.issue(
            school=school, role=Role.PARENT, created_by=class_teacher, pupil=pupil
        )
    client.force_login(class_teacher)
    response = client.post(
        school_reverse(school, "schedule:revoke_class_code", pk=school_class.pk, code_pk=code.pk)
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.revoked_at is not None and code.revoked_by == class_teacher

    client.logout()
    refused = enter_code(client, raw)
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"code": [str(CODE_REJECTED)]}


# Redeeming ------------------------------------------------------------------------------------


def test_a_new_user_redeems_a_staff_code_creates_an_account_and_gets_the_role(
    client, school, issue
):
    code, raw = issue(Role.TEACHER)
    response = enter_code(client, raw.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("account:redeem_confirm")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Учитель" in page.content.decode()

    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == school_reverse(school, "accounts:dashboard")
    user = User.objects.get(username="novikova")
    assert user.check_password(NEW_PASSWORD)
    assert (user.last_name, user.first_name, user.patronymic) == ("Новикова", "Ольга", "Петровна")
    assert active_roles(user, school) == {Role.TEACHER}
    code.refresh_from_db()
    assert code.used_by == user and code.used_at is not None
    # Signed in straight away, and the new account can sign in with its password later.
    assert client.get(response["Location"]).status_code == 200
    client.logout()
    login = client.post(reverse("login"), {"username": "novikova", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_a_registration_with_a_bad_password_keeps_the_code_and_answers_400(client, school, issue):
    code, raw = issue(Role.TEACHER)
    enter_code(client, raw)
    response = client.post(
        reverse("account:redeem_confirm"),
        {
            "username": "novikova",
            "last_name": "Новикова",
            "first_name": "Ольга",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 400
    assert "Введённый пароль состоит только из цифр." in response.content.decode()
    assert 'value="Новикова"' in response.content.decode()
    assert not User.objects.filter(username="novikova").exists()
    code.refresh_from_db()
    assert code.used_at is None
    assert register(client).status_code == 302


def test_a_parent_code_links_the_parent_to_the_pupil_and_grants_the_pupil_view(
    client, school, pupil, issue
):
    _code, raw = issue(Role.PARENT, pupil=pupil)
    enter_code(client, raw)
    assert pupil.full_name in client.get(reverse("account:redeem_confirm")).content.decode()
    register(client, "mama")
    parent = User.objects.get(username="mama")
    with scopes_disabled():
        assert ParentLink.objects.filter(parent=parent, pupil=pupil, school=school).exists()
    assert active_roles(parent, school) == {Role.PARENT}
    assert ObjectPermissionChecker(parent).has_perm("view_pupil", pupil)
    parent = User.objects.get(pk=parent.pk)
    assert parent.has_perm("accounts.view_pupil", pupil)
    with scopes_disabled():
        other_child = make_pupil(school, None, last_name="Чужой")
    assert not parent.has_perm("accounts.view_pupil", other_child)


def test_a_pupil_code_binds_the_pupil_record_to_the_new_account(client, school, pupil, issue):
    _code, raw = issue(Role.PUPIL, pupil=pupil)
    enter_code(client, raw)
    register(client, "anna")
    anna = User.objects.get(username="anna")
    with scopes_disabled():
        assert Pupil.objects.get(pk=pupil.pk).user == anna
    assert active_roles(anna, school) == {Role.PUPIL}
    assert ObjectPermissionChecker(anna).has_perm("view_pupil", pupil)


def test_a_pupil_code_for_a_record_bound_to_someone_else_is_refused(school, pupil, issue):
    owner = make_user("owner")
    with scopes_disabled():
        Pupil.objects.filter(pk=pupil.pk).update(user=owner)
    code, _raw = issue(Role.PUPIL, pupil=pupil)
    with pytest.raises(CodeRejected):
        redeem_code(code.pk, make_user("intruder"))
    code.refresh_from_db()
    assert code.used_at is None


def test_a_second_pupil_code_for_an_account_already_bound_in_the_school_is_refused(
    school, school_class, issue
):
    anna = make_user("anna")
    make_pupil(school, school_class, user=anna)
    sister = make_pupil(school, school_class, last_name="Сестра")
    code, _raw = issue(Role.PUPIL, pupil=sister)
    with pytest.raises(CodeRejected, match="уже привязана к другому обучающемуся"):
        redeem_code(code.pk, anna)
    with scopes_disabled():
        assert Pupil.objects.get(pk=sister.pk).user is None


def test_a_signed_in_user_adds_the_role_to_their_account(client, school, pupil, issue):
    other_school = make_school()
    teacher = make_member(other_school, Role.TEACHER)
    _code, raw = issue(Role.PARENT, pupil=pupil)
    users_before = User.objects.count()
    client.force_login(teacher)
    enter_code(client, raw)
    page = client.get(reverse("account:redeem_confirm")).content.decode()
    assert "Добавить роль к учётной записи" in page
    response = client.post(reverse("account:redeem_confirm"))
    assert response.status_code == 302
    assert User.objects.count() == users_before
    assert active_roles(teacher, school) == {Role.PARENT}
    assert active_roles(teacher, other_school) == {Role.TEACHER}
    with scopes_disabled():
        assert ParentLink.objects.filter(parent=teacher, pupil=pupil).exists()


# Refusals -------------------------------------------------------------------------------------


def test_a_used_an_expired_a_revoked_and_a_wrong_code_get_the_same_message(
    client, school, admin, issue
):
    used, used_raw = issue(Role.TEACHER)
    redeem_code(used.pk, make_user())
    expired, expired_raw = issue(Role.TEACHER)
    with scopes_disabled():
        AccessCode.objects.filter(pk=expired.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    revoked, revoked_raw = issue(Role.TEACHER)
    revoke_code(revoked, admin)
    wrong_raw = generate_code()
    _good, good_raw = issue(Role.TEACHER)

    errors = []
    for raw in (used_raw, expired_raw, revoked_raw, wrong_raw):
        response = enter_code(client, raw)
        assert response.status_code == 400
        assert REDEEM_SESSION_KEY not in client.session
        errors.append(response.context["form"].errors)
    assert errors == [{"code": [str(CODE_REJECTED)]}] * 4
    assert "Код не подошёл" in str(CODE_REJECTED)
    # ...while a good code from the same address goes through.
    assert enter_code(client, good_raw).status_code == 302


def test_a_used_code_is_refused_when_redeemed_again(school, issue):
    code, _raw = issue(Role.TEACHER)
    first, second = make_user(), make_user()
    redeem_code(code.pk, first)
    with pytest.raises(CodeRejected) as refused:
        redeem_code(code.pk, second)
    assert str(refused.value) == str(CODE_REJECTED)
    assert active_roles(first, school) == {Role.TEACHER}
    assert active_roles(second, school) == set()
    code.refresh_from_db()
    assert code.used_by == first


def test_an_expired_code_is_refused_at_the_second_step(client, school, issue):
    code, raw = issue(Role.TEACHER)
    enter_code(client, raw)
    with scopes_disabled():
        AccessCode.objects.filter(pk=code.pk).update(expires_at=timezone.now())
    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account:redeem")
    assert not User.objects.filter(username="novikova").exists()


def test_a_code_used_elsewhere_between_the_two_steps_leaves_no_orphan_account(
    client, school, issue, monkeypatch
):
    code, raw = issue(Role.TEACHER)
    enter_code(client, raw)
    other = make_user("quicker")

    class QuickerElsewhere(account_views.RegistrationForm):
        def is_valid(self):
            # From another device, after this page found the code usable.
            redeem_code(code.pk, other)
            return super().is_valid()

    monkeypatch.setattr(account_views, "RegistrationForm", QuickerElsewhere)
    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account:redeem")
    assert not User.objects.filter(username="novikova").exists()
    assert "_auth_user_id" not in client.session
    code.refresh_from_db()
    assert code.used_by == other


def waits_for_a_lock(seconds=15) -> bool:
    """True once another connection to this database is waiting for a row lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh, inside a transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_redemptions_the_second_waits_and_is_refused(school, issue):
    code, _raw = issue(Role.TEACHER)
    first, second = make_user("first"), make_user("second")
    outcome = {}

    def second_device():
        try:
            redeem_code(code.pk, second)
            outcome["second"] = "redeemed"
        except CodeRejected:
            outcome["second"] = "refused"
        finally:
            connection.close()

    with transaction.atomic():
        redeem_code(code.pk, first)  # its row lock is held until this transaction commits
        thread = threading.Thread(target=second_device)
        thread.start()
        assert waits_for_a_lock(), "the second redemption did not wait for the first"
    thread.join(timeout=15)
    assert outcome == {"second": "refused"}
    code.refresh_from_db()
    assert code.used_by == first
    assert active_roles(second, school) == set()


# The rate limit -------------------------------------------------------------------------------
# Failures only are counted: per browser, per address and code, per address (services.py).

MEETING = {"REMOTE_ADDR": "10.1.1.1"}  # a school's Wi-Fi: every parent on one address


def browser():
    from django.test import Client

    return Client()


def bogus(first_group=None):
    raw = generate_code()
    return f"{first_group}{raw[4:]}" if first_group else raw


def test_a_parents_meeting_on_one_address_is_not_limited_by_good_codes(school, issue):
    pupils = [make_pupil(school) for _ in range(30)]
    codes = [issue(Role.PARENT, pupil=pupil)[1] for pupil in pupils]
    for raw in codes:
        assert enter_code(browser(), raw, **MEETING).status_code == 302


def test_bogus_codes_on_the_meetings_address_do_not_lock_the_other_parents_out(
    settings, school, issue
):
    prankster = browser()
    for _attempt in range(settings.CODE_FAILURES_PER_SESSION):
        assert enter_code(prankster, bogus(), **MEETING).status_code == 400
    assert enter_code(prankster, bogus(), **MEETING).status_code == 429
    # ...and again from fresh browsers, as many times as the old limit allowed and more.
    for _attempt in range(30):
        assert enter_code(browser(), bogus(), **MEETING).status_code == 400
    _code, good = issue(Role.PARENT, pupil=make_pupil(school))
    assert enter_code(browser(), good, **MEETING).status_code == 302


def test_a_browser_failing_again_and_again_waits_in_russian(settings, school, issue):
    _code, good = issue(Role.TEACHER)
    client = browser()
    for _attempt in range(settings.CODE_FAILURES_PER_SESSION):
        assert enter_code(client, bogus(), **MEETING).status_code == 400
    limited = enter_code(client, good, **MEETING)
    assert limited.status_code == 429
    assert "Слишком много попыток ввода кода" in limited.content.decode()
    assert REDEEM_SESSION_KEY not in client.session
    # Another browser on the same address gets through with the good code.
    assert enter_code(browser(), good, **MEETING).status_code == 302


def test_a_good_code_ends_the_browsers_run_of_failures(settings, school, issue):
    client = browser()
    for _round in range(2):
        for _attempt in range(settings.CODE_FAILURES_PER_SESSION - 1):
            assert enter_code(client, bogus(), **MEETING).status_code == 400
        _code, good = issue(Role.TEACHER)
        assert enter_code(client, good, **MEETING).status_code == 302


def test_a_code_guessed_at_is_refused_from_any_browser_but_other_codes_are_not(
    settings, school, issue
):
    code, good = issue(Role.TEACHER)
    first_group = normalize_code(good)[:4]
    for _attempt in range(settings.CODE_FAILURES_PER_CODE):
        assert enter_code(browser(), bogus(first_group), **MEETING).status_code == 400
    assert enter_code(browser(), bogus(first_group), **MEETING).status_code == 429
    # From another address that code is still welcome; here other codes are looked at.
    assert enter_code(browser(), bogus(), **MEETING).status_code == 400
    assert enter_code(browser(), good, REMOTE_ADDR="10.2.2.2").status_code == 302


def test_scripted_guessing_from_one_address_stops_at_its_ceiling(settings, school):
    settings.CODE_FAILURES_PER_IP = 20
    for _attempt in range(20):
        assert enter_code(browser(), bogus(), **MEETING).status_code == 400
    assert enter_code(browser(), bogus(), **MEETING).status_code == 429
    assert enter_code(browser(), bogus(), REMOTE_ADDR="10.2.2.2").status_code == 400


def test_behind_a_trusted_proxy_the_limit_counts_the_forwarded_address(settings, school):
    settings.CODE_FAILURES_PER_IP = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(2):
        # A client cannot escape the limit by writing its own X-Forwarded-For entries.
        forged = {"HTTP_X_FORWARDED_FOR": f"1.2.3.{n}, 198.51.100.7", **proxy}
        assert enter_code(browser(), bogus(), **forged).status_code == 400
    again = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 198.51.100.7", **proxy}
    assert enter_code(browser(), bogus(), **again).status_code == 429
    someone_else = {"HTTP_X_FORWARDED_FOR": "198.51.100.8", **proxy}
    assert enter_code(browser(), bogus(), **someone_else).status_code == 400
