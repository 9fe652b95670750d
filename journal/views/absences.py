"""A class's absences of a week, where the class teacher sets their reasons («б», «у»)."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.models import Pupil
from accounts.navigation import school_reverse
from accounts.regulation import RecordKind
from grading.policy import Rights, lesson_verdict
from lib.dates import parse_week
from lib.forms import ReasonForm
from schedule.models import SchoolClass

from ..forms import IllnessSpanForm
from ..models import Attendance
from ..services.attendance import set_attendance, set_reason_for_span

# The page sets reasons as the class teacher, whatever else the user holds.
REASONS_ONLY = Rights(keeps=False, leads=True)
REASON_CHOICES = [("absent", "н"), ("ill", "б"), ("excused", "у")]


class ClassMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.school_class = get_object_or_404(SchoolClass, pk=self.kwargs["pk"])
        return self.school_class

    def page_url(self, week: date) -> str:
        url = school_reverse(self.request.school, "journal:class_absences", pk=self.school_class.pk)
        return f"{url}?week={week.isoformat()}"


def week_absences(school_class, week: date):
    return (
        Attendance.objects.filter(
            lesson__course__school_class=school_class,
            lesson__date__gte=week,
            lesson__date__lte=week + timedelta(days=6),
            deleted_at__isnull=True,
        )
        .select_related(
            "pupil",
            "lesson__course__subject",
            "lesson__course__subgroup",
            "lesson__course__school_class",
            "lesson__course__year",
        )
        .order_by("lesson__date", "lesson__number", "pupil__last_name", "pupil__first_name")
    )


class ClassAbsencesView(ClassMixin, View):
    permission = "journal.view_class_absences"

    def get(self, request, pk):
        today = request.school.today()
        week = parse_week(request.GET.get("week"), today)
        can_set = request.user.has_perm("journal.set_absence_reasons", self.school_class)
        rows = list(week_absences(self.school_class, week))
        now = request.school.now()
        for row in rows:
            row.lesson.school = request.school
            row.locked = lesson_verdict(
                request.user, row.lesson, RecordKind.ATTENDANCE, rights=REASONS_ONLY, now=now
            ).needs_correction
            row.reasonable = row.code in Attendance.MISSED
        return render(
            request,
            "journal/class_absences.html",
            {
                "span_form": span_form(self.school_class, week) if can_set else None,
                "school_class": self.school_class,
                "week": week,
                "week_end": week + timedelta(days=5),
                "rows": rows,
                "can_set": can_set,
                "choices": REASON_CHOICES,
                "has_locked": any(r.locked for r in rows),
                "previous_url": self.page_url(week - timedelta(days=7)),
                "next_url": self.page_url(week + timedelta(days=7)),
                "save_url": school_reverse(
                    request.school, "journal:absence_reasons", pk=self.school_class.pk
                ),
            },
        )


class AbsenceReasonsView(ClassMixin, View):
    """The class teacher's reasons for a week's absences (locked ones become corrections)."""

    permission = "journal.set_absence_reasons"

    def post(self, request, pk):
        today = request.school.today()
        week = parse_week(request.POST.get("week"), today)
        reason, refused = ReasonForm.read(request.POST)
        if refused:
            messages.error(request, refused)  # open absences are saved; locked ones wait
        rights = REASONS_ONLY
        saved = requested = 0
        for row in week_absences(self.school_class, week):
            wanted = request.POST.get(f"a{row.pk}")
            if wanted is None or wanted == row.code or wanted not in dict(REASON_CHOICES):
                continue
            row.lesson.school = request.school
            try:
                outcome = set_attendance(
                    row.lesson,
                    row.pupil_id,
                    wanted,
                    by=request.user,
                    rights=rights,
                    current=row,
                    reason=reason,
                )
            except ValidationError as error:
                messages.error(
                    request,
                    f"{row.pupil.short_name}, {row.lesson.date:%d.%m.%Y}: {error.messages[0]}",
                )
                continue
            if outcome.status == "saved":
                saved += 1
            elif outcome.status == "requested":
                requested += 1
        if saved:
            messages.success(request, _("Причины пропусков сохранены: %(n)s.") % {"n": saved})
        if requested:
            messages.info(
                request,
                _("Исправлений отправлено на согласование: %(n)s.") % {"n": requested},
            )
        return redirect(self.page_url(week))


def class_pupils(school_class):
    return (
        Pupil.objects.filter(enrolments__school_class=school_class)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def span_form(school_class, week, data=None):
    initial = {"start": week, "end": week + timedelta(days=5)}
    return IllnessSpanForm(data, pupils=class_pupils(school_class), initial=initial)


class AbsenceSpanView(ClassMixin, View):
    """«Болел с … по …»: one reason for every absence of one pupil in a span of days."""

    permission = "journal.set_absence_reasons"

    def post(self, request, pk):
        today = request.school.today()
        form = span_form(self.school_class, parse_week(None, today), request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.page_url(parse_week(None, today)))
        data = form.cleaned_data
        result = set_reason_for_span(
            self.school_class,
            data["pupil"],
            data["start"],
            data["end"],
            data["code"],
            by=request.user,
            rights=REASONS_ONLY,
            reason=data["reason"],
            school=request.school,
        )
        for lesson, error in result.errors:
            messages.error(request, f"{lesson.date:%d.%m.%Y}, {lesson.number}: {error}")
        messages.success(
            request,
            _("Причина указана для пропусков: %(n)s.") % {"n": result.saved + result.unchanged},
        )
        if result.requested:
            messages.info(
                request,
                _("Исправлений отправлено на согласование: %(n)s.") % {"n": result.requested},
            )
        return redirect(self.page_url(parse_week(data["start"].isoformat(), today)))
