"""«Контроль ведения журнала» is where the deputy and the director land after signing in; the
administrator starts at the school's page (its setup); a class teacher reaches their class's
dashboard from the school's page, read-only."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.navigation import school_reverse
from tests.factories import make_member

from .builders import build_family

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.DIRECTOR])
def test_the_deputy_and_the_director_land_on_the_control_after_signing_in(client, role):
    f = build_family(subjects=1)
    client.force_login(make_member(f.school, role))
    landing = client.get(reverse("account:home"))
    assert landing.status_code == 302
    assert landing["Location"] == school_reverse(f.school, "reports:control")
    page = client.get(landing["Location"])
    assert page.status_code == 200 and "Контроль ведения журнала" in page.content.decode()


def test_the_administrator_and_a_teacher_land_on_the_school_s_page(client):
    f = build_family(subjects=1)
    admin = make_member(f.school, Role.ADMIN)
    for user in (admin, f.teacher):
        client.force_login(user)
        landing = client.get(reverse("account:home"))
        assert landing["Location"] == school_reverse(f.school, "accounts:dashboard")


def test_the_class_teacher_reaches_their_class_s_dashboard_read_only(client):
    f = build_family(subjects=1)
    client.force_login(f.class_teacher)
    home = client.get(school_reverse(f.school, "accounts:dashboard")).content.decode()
    control = school_reverse(f.school, "reports:control") + f"?scope=class:{f.school_class.pk}"
    assert control in home
    page = client.get(control)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Проверить сейчас" not in html  # the check and the справки are the leadership's
    assert school_reverse(f.school, "reports:control_check_new") not in html
    assert page.context["params"].scope.token == f"class:{f.school_class.pk}"


def test_the_deputy_and_the_class_teacher_each_get_their_own_form_over_the_same_cached_table(
    client,
):
    f = build_family(subjects=1)
    deputy = make_member(f.school, Role.DEPUTY)
    url = school_reverse(f.school, "reports:control")
    query = {"scope": f"class:{f.school_class.pk}"}

    def scopes(user):
        client.force_login(user)
        response = client.get(url, query)
        assert response.status_code == 200
        return [token for token, _label in response.context["choices"]["scopes"]]

    own = f"class:{f.school_class.pk}"
    assert scopes(deputy)[0] == "school"  # built and kept with the deputy's form
    lead = scopes(f.class_teacher)  # the same table from the cache, the lead's own form
    assert lead[0] == own and "school" not in lead
    assert not any(token.startswith("parallel:") for token in lead)
    assert scopes(deputy)[0] == "school"  # and the deputy's is still theirs
