"""Every text a person types has a length limit and refuses control characters, and every
date refuses the years no school works in — on every form of the project, with a Russian
message (lib.forms.SaneInputMixin), and on the few pages that read a text without a form of
their own design (a correction's reason, a deputy's note, a search).

The forms are found by walking the project's modules, so a new form is checked without
anyone listing it here; one that needs arguments to be built names them in BUILDERS.
"""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from django import forms
from django.core.cache import cache
from django_scopes import scope, scopes_disabled

from accounts.models import Pupil, Role, User
from accounts.navigation import school_reverse
from journal.models import PlanTopic
from lib.forms import MAX_LINE, SaneInputMixin
from schedule.models import Course, Enrolment, SchoolClass, Subgroup
from tests.factories import (
    make_class,
    make_member,
    make_pupil,
    make_school,
    make_subject,
    make_year,
)

APPS = ("accounts", "schedule", "grading", "journal", "reports", "archive", "lib")
CONTROL = "управляющие символы"
TOO_LONG = "не более"
OUT_OF_RANGE = "вне допустимого диапазона"
pytestmark = pytest.mark.django_db


def project_forms():
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__.split(".")[0] in APPS
                    and obj.__module__ != "lib.forms"
                ):
                    found[f"{obj.__module__}.{obj.__name__}"] = obj
    return dict(sorted(found.items()))


FORMS = project_forms()


class Place:
    def __init__(self):
        self.school = make_school()
        self.year = make_year(self.school)
        self.teacher = make_member(self.school, Role.TEACHER)
        self.school_class = make_class(self.school, class_teacher=self.teacher, year=self.year)
        self.pupil = make_pupil(self.school, self.school_class, start=self.year.start)
        with scopes_disabled():
            self.enrolment = Enrolment.objects.get(pupil=self.pupil)
            self.subgroup = Subgroup.objects.create(
                school=self.school,
                school_class=self.school_class,
                subject=make_subject(self.school),
                name="1 группа",
            )


def given(**arguments):
    """A builder passing keyword arguments made from the place: name → function(place)."""

    def builder(form, place, data):
        return form(data, **{key: make(place) for key, make in arguments.items()})

    return builder


SCHOOL = given(school=lambda p: p.school)
# Forms that need more than their data to be built.
BUILDERS = {
    "accounts.forms.ConsentForm": given(pupil=lambda p: p.pupil),
    "schedule.forms.SchoolClassForm": SCHOOL,
    "schedule.forms.SubjectForm": SCHOOL,
    "schedule.forms.SpecialityForm": SCHOOL,
    "schedule.forms.MoveForm": given(enrolment=lambda p: p.enrolment),
    "schedule.forms.SplitForm": given(
        pupils=lambda p: [p.pupil],
        names=lambda p: ["1 группа", "2 группа"],
        day=lambda p: p.year.start,
    ),
    "schedule.forms.SubgroupTransferForm": given(
        pupils=lambda p: type(p.pupil).objects.filter(pk=p.pupil.pk),
        subgroups=lambda p: Subgroup.objects.all(),
    ),
    "schedule.forms.CourseForm": given(school=lambda p: p.school, year=lambda p: p.year),
    "schedule.forms.ImportForm": SCHOOL,
    "schedule.forms_timetable.TimetableEntryForm": given(school_class=lambda p: p.school_class),
    "schedule.forms_timetable.BuildLessonsForm": SCHOOL,
    "schedule.forms_timetable.SubstituteForm": SCHOOL,
    "schedule.forms_timetable.SubstituteDayForm": SCHOOL,
    "schedule.forms_timetable.TimetableImportForm": SCHOOL,
    "grading.forms_finals.GradingSettingsForm": SCHOOL,
    "accounts.forms.SanePasswordChangeForm": lambda form, p, d: form(p.teacher, d),
    "accounts.forms.SaneSetPasswordForm": lambda form, p, d: form(p.teacher, d),
    "accounts.forms.SignInForm": lambda form, p, d: form(None, d),
    "journal.forms.LessonForm": given(topics=lambda p: PlanTopic.objects.none()),
    "grading.forms_practice.CourseWorkForm": given(
        courses=lambda p: Course.objects.all(),
        pupils=lambda p: Pupil.objects.all(),
        supervisors=lambda p: User.objects.all(),
    ),
    "grading.forms_practice.PracticePeriodForm": given(
        classes=lambda p: SchoolClass.objects.all(), supervisors=lambda p: User.objects.all()
    ),
    "grading.forms_practice.PracticeMarksForm": given(
        students=lambda p: [p.pupil], marks=lambda p: {}
    ),
}


def build(name, place, data):
    form, builder = FORMS[name], BUILDERS.get(name)
    return builder(form, place, data) if builder else form(data)


def test_every_form_of_the_project_has_the_rules():
    assert len(FORMS) > 40
    lacking = [name for name, form in FORMS.items() if not issubclass(form, SaneInputMixin)]
    assert not lacking, f"forms without lib.forms.SaneInputMixin: {lacking}"


def errors_of(form, name) -> str:
    form.is_valid()
    return " ".join(str(e) for e in form.errors.get(name, []))


@pytest.mark.parametrize("name", list(FORMS))
def test_each_text_is_limited_and_refuses_control_characters_and_each_date_its_range(name):
    place = Place()
    with scope(school=place.school):
        fields = build(name, place, None).fields
        texts = [n for n, f in fields.items() if isinstance(f, forms.CharField)]
        dates = [n for n, f in fields.items() if isinstance(f, forms.DateField)]
        for field in texts:
            limit = fields[field].max_length
            assert limit is not None and limit <= 1024 * 1024, (name, field)
            assert CONTROL in errors_of(build(name, place, {field: "Иван\x00ов"}), field)
            assert CONTROL in errors_of(build(name, place, {field: "\x1b[31m"}), field)
            long = "я" * (limit + 1)
            assert TOO_LONG in errors_of(build(name, place, {field: long}), field), field
        for field in dates:
            for extreme in ("0001-01-01", "2101-01-01", "9999-12-31"):
                refused = errors_of(build(name, place, {field: extreme}), field)
                assert OUT_OF_RANGE in refused, (name, field, extreme)
            assert OUT_OF_RANGE not in errors_of(build(name, place, {field: "2030-05-04"}), field)


def test_a_text_area_keeps_its_line_breaks_and_tabs():
    field = forms.CharField(widget=forms.Textarea)
    from lib.forms import harden

    harden(field)
    assert field.clean("Задание:\r\n\t№ 1\n") == "Задание:\r\n\t№ 1"
    one_line = forms.CharField()
    harden(one_line)
    assert one_line.max_length == MAX_LINE


# The pages that read a text beside other input -------------------------------------------------


@pytest.fixture
def locked(db):
    from tests.journal.grid_builders import build_journal

    journal = build_journal(1, 1, past=True)
    return journal


def cell_post(journal, reason):
    client = journal.client_for(journal.teacher)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    return client.post(journal.cell_url(lesson, pupil), {"value": "5", "reason": reason})


@pytest.mark.parametrize("reason,message", [("Ошибка\x00", CONTROL), ("я" * 200_000, TOO_LONG)])
def test_a_correction_reason_with_a_nul_or_of_200000_characters_is_refused(locked, reason, message):
    response = cell_post(locked, reason)
    assert response.status_code == 400
    assert message in response.json()["error"]
    from grading.models import CorrectionRequest

    with scopes_disabled():
        assert not CorrectionRequest.objects.exists()


def test_the_plain_grid_keeps_what_was_typed_when_the_reason_is_refused(locked):
    client = locked.client_for(locked.teacher)
    lesson, pupil = locked.lessons[0], locked.pupils[0]
    name = f"c{lesson.pk}_{pupil.pk}_{locked.main_type(lesson).id}"
    response = client.post(locked.url("journal:grid_save"), {name: "4", "reason": "\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert CONTROL in page
    assert f'name={name} value="4"' in page or f"name={name} value=4" in page


def test_a_deputys_note_with_a_nul_is_refused_and_nothing_decided(locked):
    from grading.models import CorrectionRequest

    assert cell_post(locked, "Ошибка при вводе").status_code == 202
    with scopes_disabled():
        correction = CorrectionRequest.objects.get()
    deputy = make_member(locked.school, Role.DEPUTY)
    client = locked.client_for(deputy)
    url = school_reverse(locked.school, "grading:correction_decide", pk=correction.pk)
    response = client.post(url, {"decision": "approve", "note": "ок\x00"}, follow=True)
    assert response.status_code == 200
    assert CONTROL in response.content.decode()
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.PENDING


@pytest.mark.parametrize("page", ["accounts:people", "accounts:pupils"])
@pytest.mark.parametrize("query", ["Иван\x00", "я" * 101])
def test_a_search_with_a_nul_or_too_long_answers_400_with_the_list(client, page, query):
    cache.clear()
    place_school = make_school()
    client.force_login(make_member(place_school, Role.ADMIN))
    response = client.get(school_reverse(place_school, page), {"q": query})
    assert response.status_code == 400
    text = response.content.decode()
    assert CONTROL in text or TOO_LONG in text


def test_a_school_year_starting_in_year_one_is_refused_and_plans_still_open(client):
    admin_school = make_school()
    admin = make_member(admin_school, Role.ADMIN)
    client.force_login(admin)
    response = client.post(
        school_reverse(admin_school, "schedule:year_create"),
        {"name": "1/2", "start": "0001-09-01", "end": "0002-08-31"},
    )
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert client.get(school_reverse(admin_school, "journal:plans")).status_code == 200
    assert date(2000, 1, 1)  # the range starts here (lib.dates.MIN_DATE)
