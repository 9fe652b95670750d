"""Итоги успеваемости: by class, by subject, by teacher, and the pupils behind a count."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Pupil, User

from ..services.progress import CATEGORY_TITLES, CURRENT, FINAL, class_progress, course_progress
from ..services.progress_tables import course_report, progress_report, pupils_report
from .page import Option, ReportPage

BASIS = Option(
    "basis",
    gettext_lazy("Основа"),
    choices=(
        (FINAL, gettext_lazy("итоговые отметки")),
        (CURRENT, gettext_lazy("итоговые, а где их нет — текущие средние (предварительно)")),
    ),
)
CATEGORY = Option(
    "category",
    gettext_lazy("Категория"),
    choices=tuple((key, title) for key, title in CATEGORY_TITLES.items()),
)


class BasisNotes:
    """A page whose marks may not all be set offers the current averages instead."""

    missing = 0  # period marks not set among the report's figures

    def page_notes(self, params, report):
        if self.option("basis") == FINAL and self.missing:
            return [
                (
                    _("Можно построить отчёт предварительно, по текущим средним баллам."),
                    _("Построить по текущим средним"),
                    f"?{params.query(**{**self.kept_options(), 'basis': CURRENT})}",
                )
            ]
        return []


class ProgressView(BasisNotes, ReportPage):
    cached = True
    ended = True
    report_id = "progress"
    title = gettext_lazy("Итоги успеваемости")
    spans = ("period", "year")
    scopes = ("school", "parallel", "class")
    options = (BASIS,)

    def build(self, params):
        self.progress = class_progress(self.selection, params.span, basis=self.option("basis"))
        self.missing = self.progress.total.missing
        return progress_report(
            self.progress, link=self.linker("reports:progress_pupils"), span_token=params.span.token
        )


class ProgressPupilsView(ReportPage):
    """The list of pupils behind one count of «Итоги успеваемости»."""

    cached = True
    ended = True
    report_id = "progress_pupils"
    personal_data = True
    title = gettext_lazy("Итоги успеваемости: список обучающихся")
    spans = ("period", "year")
    scopes = ("school", "parallel", "class")
    options = (CATEGORY, BASIS)

    def build(self, params):
        self.progress = class_progress(self.selection, params.span, basis=self.option("basis"))
        from ..services.progress import pupils_of

        ids = [pupil_id for _item, pupil_id in pupils_of(self.progress, self.option("category"))]
        names = {p.pk: p.full_name for p in Pupil.objects.filter(pk__in=ids)}
        return pupils_report(self.progress, self.option("category"), names)


class CourseProgressView(BasisNotes, ReportPage):
    cached = True
    ended = True
    spans = ("period", "year")
    scopes = ("school", "parallel", "class", "subject", "teacher")
    options = (BASIS,)
    by = "subject"

    def build(self, params):
        self.progress, figures = course_progress(
            self.selection, params.span, basis=self.option("basis")
        )
        self.missing = sum(f.current.missing for f in figures)
        ids = {t for f in figures for t in f.teachers}
        names = {u.pk: u.short_name for u in User.objects.filter(pk__in=ids)}
        return course_report(self.progress, figures, by=self.by, names=names)


class SubjectsView(CourseProgressView):
    report_id = "progress_subjects"
    title = gettext_lazy("Успеваемость по предметам")
    college_title = gettext_lazy("Успеваемость по дисциплинам")
    by = "subject"


class TeachersView(CourseProgressView):
    report_id = "progress_teachers"
    title = gettext_lazy("Успеваемость по учителям")
    college_title = gettext_lazy("Успеваемость по преподавателям")
    by = "teacher"
