"""Sessions, assessments with their commissions, and the зачётно-экзаменационная ведомость.

A college's intermediate assessment (regulation 002 §3.2): each semester has its session; each
discipline its form from the curriculum (экзамен, дифференцированный зачёт, зачёт, курсовая
работа) held before a commission by the director's order. The ledger («ведомость») of a group
and discipline lists its students with the mark of that form and semester — the course's
final mark of that kind and period: entering it on the ledger is setting the final marks of
that column (grading.services.finals.set_final_marks, with its write policy); a retake shows
beside the mark it changed.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.export import INTEGER, TEXT, Column, Report, Row

from ..models import Assessment, FinalMark, Retake, Session
from . import finals

LEDGER_TITLE = {
    FinalMark.Kind.EXAM: gettext_lazy("Экзаменационная ведомость"),
    FinalMark.Kind.COURSE_WORK: gettext_lazy("Ведомость защиты курсовых работ"),
}


def fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


# --- Sessions and assessments ----------------------------------------------------------------


@transaction.atomic
def do_create_session(period, *, start: date, end: date, user) -> Session:
    """The session of a semester: within the semester, and over by the day its final marks
    are due (the regulation's deadline), so that the marks of the session can be set."""
    regulation = period.year.school.regulation
    if start > end:
        raise ValidationError(_("Сессия не может закончиться раньше, чем начнётся."))
    if start < period.start or end > period.end:
        raise ValidationError(
            _("Сессия проходит в пределах периода «%(p)s» (%(s)s — %(e)s).")
            % {"p": period, "s": fmt(period.start), "e": fmt(period.end)}
        )
    due = regulation.final_marks_deadline(period.end)
    if end > due:
        raise ValidationError(
            _("Сессия должна закончиться к сроку выставления итоговых отметок (%(d)s).")
            % {"d": fmt(due)}
        )
    if Session.objects.filter(period=period).exists():
        raise ValidationError(_("У периода «%(p)s» уже есть сессия.") % {"p": period})
    session = Session(school_id=period.school_id, period=period, start=start, end=end)
    session._history_user = user
    session.save()
    return session


@transaction.atomic
def do_add_assessment(
    session, course, *, form: str, held_on: date, order_number: str, order_date: date,
    chair, members, user,
) -> Assessment:  # fmt: skip
    """A discipline's form of assessment in the session with its commission (the director's
    order: number and date; a chair and members from the school's staff)."""
    if form not in Assessment.FORMS:
        raise ValidationError(_("Неизвестная форма аттестации."))
    period = session.period
    grade = course.school_class.grade
    if course.year_id != period.year_id or not (period.grade_from <= grade <= period.grade_to):
        raise ValidationError(_("Дисциплина не изучается в этом периоде."))
    if not session.start <= held_on <= session.end:
        raise ValidationError(
            _("Дата аттестации — в дни сессии (%(s)s — %(e)s).")
            % {"s": fmt(session.start), "e": fmt(session.end)}
        )
    if order_date > held_on:
        raise ValidationError(_("Приказ о комиссии издаётся до дня аттестации."))
    if not order_number.strip():
        raise ValidationError(_("Укажите номер приказа о комиссии."))
    staff = set(finals.staff_candidates(session.school).values_list("pk", flat=True))
    people = [chair, *members]
    if any(p.pk not in staff for p in people):
        raise ValidationError(_("В комиссии — только работники учреждения."))
    if Assessment.objects.filter(session=session, course=course).exists():
        raise ValidationError(_("У этой дисциплины в сессии уже есть форма аттестации."))
    assessment = Assessment(
        school_id=session.school_id,
        session=session,
        course=course,
        form=form,
        held_on=held_on,
        order_number=order_number.strip(),
        order_date=order_date,
        chair=chair,
    )
    assessment._history_user = user
    assessment.save()
    assessment.members.set([m for m in members if m.pk != chair.pk])
    return assessment


def assessment_for_page(pk):
    """An assessment with what its pages show (one query; its members in one more)."""
    return with_ledger_fields(Assessment.objects.all()).get(pk=pk)


def assessments_of(school_class, period):
    """The assessments of a group's courses in the session of `period` (a semester), in the
    order they were held, with what their ledgers show (the archive files them)."""
    found = Assessment.objects.filter(course__school_class=school_class, session__period=period)
    return list(with_ledger_fields(found).order_by("held_on", "course__subject__name", "pk"))


def with_ledger_fields(assessments):
    return assessments.select_related(
        "session__period__year",
        "course__school_class__speciality",
        "course__subject",
        "course__subgroup",
        "course__year",
        "course__school",
        "chair",
    ).prefetch_related("members")


def commission(assessment) -> list:
    """The chair first, then the members by name."""
    others = sorted(assessment.members.all(), key=lambda u: (u.last_name, u.first_name))
    return [assessment.chair, *[u for u in others if u.pk != assessment.chair_id]]


# --- The ledger --------------------------------------------------------------------------------


def ledger_column(assessment) -> finals.Column:
    course = assessment.course
    return finals.column_for(course, assessment.form, assessment.session.period_id)


@dataclass
class LedgerRow:
    pupil: object
    mark: FinalMark | None
    retakes: list = field(default_factory=list)

    @property
    def first_value(self) -> str:
        """The mark set at the session (before any retake)."""
        if self.retakes:
            return self.retakes[0].previous_value
        return self.mark.value if self.mark else ""

    @property
    def retake_label(self) -> str:
        return "; ".join(
            _("%(d)s: %(v)s (протокол № %(n)s)")
            % {"d": fmt(r.held_on), "v": r.get_result_display(), "n": r.protocol_number}
            for r in self.retakes
        )


@dataclass
class Ledger:
    assessment: Assessment
    column: finals.Column
    rows: list[LedgerRow]
    teachers: list
    values: list[str]

    @property
    def title(self) -> str:
        kind = self.assessment.form
        return str(LEDGER_TITLE.get(kind, _("Зачётная ведомость")))


def build_ledger(assessment) -> Ledger:
    """The ledger's rows: the students of the course, their mark of the column and its
    retakes. Four queries whatever the size: students, marks with their retakes, teachers."""
    course = assessment.course
    column = ledger_column(assessment)
    pupils = finals.course_pupils(course)
    marks = {
        m.pupil_id: m
        for m in FinalMark.objects.filter(course=course, **column.query()).prefetch_related(
            Prefetch("retakes", queryset=Retake.objects.order_by("attempt"))
        )
    }
    rows = []
    for pupil in pupils:
        mark = marks.get(pupil.pk)
        rows.append(LedgerRow(pupil, mark, list(mark.retakes.all()) if mark else []))
    teachers = sorted(course.teachers.all(), key=lambda u: u.last_name)
    values = finals.allowed_values(course, assessment.form)
    return Ledger(assessment, column, rows, teachers, values)


def value_label(value: str) -> str:
    return str(FinalMark.Value(value).label) if value else ""


def ledger_report(ledger: Ledger) -> Report:
    """The ledger as a document (lib.export): the students and their marks, the parameters
    above, and the commission's signature lines below."""
    a = ledger.assessment
    course, school_class = a.course, a.course.school_class
    columns = [
        Column("n", "№", INTEGER, width=3),
        Column("name", _("Фамилия, имя, отчество"), TEXT, width=40),
        Column("mark", _("Отметка"), TEXT, width=14),
        Column("retake", _("Пересдача"), TEXT, width=44),
    ]
    rows = [
        Row(
            {
                "n": number,
                "name": row.pupil.full_name,
                "mark": value_label(row.first_value),
                "retake": row.retake_label,
            }
        )
        for number, row in enumerate(ledger.rows, 1)
    ]
    parameters = [(_("Группа"), school_class.name)]
    if school_class.speciality_id:
        parameters.append((_("Специальность"), str(school_class.speciality)))
    parameters += [
        (_("Курс"), str(school_class.grade)),
        (_("Семестр"), str(a.session.period)),
        (_("Дисциплина"), course.subject.name),
        (_("Форма аттестации"), a.get_form_display()),
        (_("Дата"), fmt(a.held_on)),
        (_("Преподаватель"), ", ".join(t.full_name for t in ledger.teachers)),
        (_("Комиссия"), a.order_label),
    ]
    given = [r.first_value for r in ledger.rows if r.first_value]
    counts = ", ".join(
        f"«{value_label(v)}» — {given.count(v)}" for v in ledger.values if given.count(v)
    )
    notices = [_("Выставлено отметок: %(n)s из %(of)s.") % {"n": len(given), "of": len(rows)}]
    if counts:
        notices.append(counts)
    signatures = []
    for number, person in enumerate(commission(a)):
        role = _("Председатель комиссии") if number == 0 else _("Член комиссии")
        signatures.append(f"{role}: ____________________ {person.short_name}")
    report = Report(
        title=ledger.title,
        columns=columns,
        rows=rows,
        school=course.school.name,
        parameters=parameters,
        notices=notices,
        footnotes=signatures,
        slug=f"vedomost-{a.pk}",
    )
    return report


def set_ledger_marks(assessment, entries: dict, *, user, today=None) -> dict:
    """Marks entered from the ledger: the final marks of its column, through the one service
    and its write policy. Returns {pupil_id: error}."""
    return finals.set_final_marks(
        assessment.course, ledger_column(assessment), entries, user=user, today=today
    )
