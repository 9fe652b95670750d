"""The school's regulation («Положение об электронном журнале»): every rule, in one row.

Each school works under its own regulation (five real ones are in shared/regulations/). Every
rule the product enforces or checks is a field here, with the school's value; nothing else
stores a rule. Code asks `school.regulation`, and the school's clock (`school.today()`).

A regulation starts from a preset (a general school, a college); the administrator changes it
on «Положение об ЭЖ». A change applies from the moment it is saved, but what was already locked
stays locked: the lock windows keep their own history (`lock_changes`), which `lock_day` reads.

This module knows dates and times, not lessons: apps above pass a lesson's date, its class's
last bell and so on (grading.policy asks it on every write).
"""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

TWO_PLACES = Decimal("0.01")
# An average is rounded as the teacher sees it, to two places (4,495 shows as «4,50»): an exact
# average reaches a shown value that much below it.
SHOWN_HALF_STEP = Fraction(1, 200)


def round_mark(average, threshold) -> int | None:
    """The mark an average rounds to: taken to two places as shown, its whole part, plus one
    when the fraction reaches `threshold`; kept within 2–5. The one rounding of the product
    (final-mark proposals, the diary's forecast, the weekly printout)."""
    if average is None:
        return None
    if isinstance(average, Fraction):
        average = Decimal(average.numerator) / Decimal(average.denominator)
    shown = Decimal(str(average)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    whole = shown.to_integral_value(rounding=ROUND_FLOOR)
    mark = int(whole) + (1 if shown - whole >= Decimal(str(threshold)) else 0)
    return max(2, min(5, mark))


def _range(low: int, high: int, what):
    message = _("%(what)s — от %(low)s до %(high)s.") % {"what": what, "low": low, "high": high}
    return [
        MinValueValidator(low, message=message),
        MaxValueValidator(high, message=message),
    ]


class RecordKind(models.TextChoices):
    """The kinds of record a lesson or a course carries (the write policy's vocabulary)."""

    MARK = "mark", _("отметка")
    ATTENDANCE = "attendance", _("посещаемость")
    TOPIC = "topic", _("тема урока")
    HOMEWORK = "homework", _("домашнее задание")
    FINAL_MARK = "final_mark", _("итоговая отметка")


LOCKING_KINDS = (RecordKind.MARK, RecordKind.ATTENDANCE, RecordKind.TOPIC)


class Regulation(models.Model):
    """One school's rules. Created with the school, from the preset of its kind."""

    class Homework(models.TextChoices):
        BY_TIME = "by_time", _("в день урока до указанного времени")
        AFTER_LAST_LESSON = "after_last", _("в течение N минут после последнего урока класса")
        BY_NEXT_LESSON = "next_lesson", _("до начала следующего урока по предмету")

    class Rounding(models.TextChoices):
        HALF_UP = "half_up", _("математическое: от ,50 — в большую сторону")
        FROM_60 = "from_60", _("от ,60 — в большую сторону")
        FROM_70 = "from_70", _("от ,70 — в большую сторону")
        IN_FAVOUR = "in_favour", _("в пользу обучающегося: любая дробная часть — вверх")

    class CreditScale(models.TextChoices):
        PASS_FAIL = "pass_fail", _("зачтено / не зачтено")
        FIVE = "five", _("отметкой 2–5")

    class Preset(models.TextChoices):
        SCHOOL = "school", _("общеобразовательная школа")
        COLLEGE = "college", _("колледж (техникум)")

    THRESHOLDS = {
        Rounding.HALF_UP: Decimal("0.5"),
        Rounding.FROM_60: Decimal("0.6"),
        Rounding.FROM_70: Decimal("0.7"),
        Rounding.IN_FAVOUR: Decimal("0.01"),
    }

    school = models.OneToOneField(
        "accounts.School", on_delete=models.CASCADE, related_name="regulation"
    )
    preset = models.CharField(
        _("основа"), max_length=10, choices=Preset.choices, default=Preset.SCHOOL
    )

    # The document itself, printed on reports and archive documents.
    title = models.CharField(
        _("название положения"),
        max_length=300,
        # The school's own document, in its own language: stored as the school wrote it.
        default=gettext_noop("Положение об электронном классном журнале"),
    )
    order_number = models.CharField(_("номер приказа"), max_length=50, blank=True)
    order_date = models.DateField(_("дата приказа"), null=True, blank=True)

    # Lessons: topic and attendance; homework.
    records_days = models.PositiveSmallIntegerField(
        _("тема и посещаемость вносятся, дней после урока"),
        default=0,
        validators=_range(0, 14, _("Срок внесения темы и посещаемости")),
        help_text=_("0 — в день урока."),
    )
    homework_rule = models.CharField(
        _("домашнее задание вносится"),
        max_length=12,
        choices=Homework.choices,
        default=Homework.AFTER_LAST_LESSON,
    )
    homework_time = models.TimeField(
        _("до времени (в день урока)"),
        default=time(20, 0),
        help_text=_("Для правила «в день урока до указанного времени»."),
    )
    homework_minutes = models.PositiveSmallIntegerField(
        _("минут после последнего урока класса"),
        default=90,
        validators=_range(0, 720, _("Срок внесения домашнего задания")),
        help_text=_("Для правила «после последнего урока»: 90 — полтора часа, 180 — три часа."),
    )

    # Marks.
    written_work_days = models.PositiveSmallIntegerField(
        _("отметки за письменную работу, дней"),
        default=7,
        validators=_range(1, 30, _("Срок выставления отметок за письменную работу")),
    )
    monitoring_days = models.PositiveSmallIntegerField(
        _("отметки за работу внутреннего мониторинга, дней"),
        default=3,
        validators=_range(1, 30, _("Срок выставления отметок за мониторинговую работу")),
    )
    min_mark_days_per_week = models.PositiveSmallIntegerField(
        _("дней с отметками в неделю по курсу, не менее"),
        default=0,
        validators=_range(0, 6, _("Число дней с отметками в неделю")),
        help_text=_("0 — не проверяется."),
    )
    no_marks_grades = models.CharField(
        _("безотметочные параллели"),
        max_length=30,
        default="1",
        blank=True,
        help_text=_("Номера через запятую: «1» или «1, 2». Там ставится только посещаемость."),
    )
    credit_scale = models.CharField(
        _("зачёт выставляется"),
        max_length=10,
        choices=CreditScale.choices,
        default=CreditScale.PASS_FAIL,
    )

    # Control of journal keeping (reports.services.control): the nightly check's norms.
    marks_per_pupil_week = models.DecimalField(
        _("накопляемость: отметок на обучающегося в неделю, не менее"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=_range(0, 10, _("Норма накопляемости отметок")),
    )
    few_marks_days_left = models.PositiveSmallIntegerField(
        _("предупреждать о нехватке отметок для аттестации за, учебных дней до конца периода"),
        default=10,
        validators=_range(1, 60, _("Срок предупреждения о нехватке отметок")),
    )
    plan_lag_hours = models.PositiveSmallIntegerField(
        _("отставание от КТП, часов, не более"),
        default=2,
        validators=_range(0, 40, _("Допустимое отставание от КТП")),
    )
    correction_wait_days = models.PositiveSmallIntegerField(
        _("запрос на исправление рассматривается, дней"),
        default=3,
        validators=_range(1, 30, _("Срок рассмотрения запроса на исправление")),
    )
    control_hour = models.PositiveSmallIntegerField(
        _("час ежедневной проверки журнала (время школы)"),
        default=20,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
    )
    risk_absences_per_week = models.PositiveSmallIntegerField(
        _("пропусков без уважительной причины за неделю — группа риска, более"),
        default=3,
        validators=_range(1, 60, _("Порог пропусков для группы риска")),
    )
    risk_notify_parents = models.BooleanField(
        _("уведомлять родителей о попадании в группу риска"), default=False
    )

    # Locks: after N days a change needs a reason and the deputy's approval.
    lock_marks_days = models.PositiveSmallIntegerField(
        _("отметки закрываются через, дней"),
        default=7,
        validators=_range(0, 60, _("Срок закрытия отметок")),
    )
    lock_attendance_days = models.PositiveSmallIntegerField(
        _("посещаемость закрывается через, дней"),
        default=7,
        validators=_range(0, 60, _("Срок закрытия посещаемости")),
    )
    lock_topics_days = models.PositiveSmallIntegerField(
        _("темы уроков закрываются через, дней"),
        default=7,
        validators=_range(0, 60, _("Срок закрытия тем уроков")),
    )
    # [{"from": "YYYY-MM-DD", "mark": n, "attendance": n, "topic": n}, ...]: the lock windows
    # as they were from each change on, so a change never reopens what had locked.
    lock_changes = models.JSONField(default=list, editable=False)

    # Final marks.
    final_marks_days = models.SmallIntegerField(
        _("итоговые отметки выставляются за, дней до конца периода"),
        default=2,
        validators=_range(-14, 14, _("Срок итоговых отметок")),
        help_text=_("Отрицательное число — через столько дней после окончания периода."),
    )
    min_marks_for_period = models.PositiveSmallIntegerField(
        _("отметок для аттестации за период, не менее"),
        default=3,
        validators=_range(1, 20, _("Число отметок для аттестации")),
    )
    rounding = models.CharField(
        _("округление среднего балла"),
        max_length=10,
        choices=Rounding.choices,
        default=Rounding.HALF_UP,
    )
    final_marks_visible_days = models.PositiveSmallIntegerField(
        _("итоговые отметки видны семье не позднее, дней"),
        default=1,
        validators=_range(0, 7, _("Срок, когда семья видит итоговую отметку")),
    )

    # Families and access.
    access_code_days = models.PositiveSmallIntegerField(
        _("срок действия кода доступа, дней"),
        default=30,
        validators=_range(1, 365, _("Срок действия кода")),
    )
    digest_enabled = models.BooleanField(_("еженедельная сводка родителям"), default=True)
    digest_weekday = models.PositiveSmallIntegerField(
        _("день сводки"),
        default=5,
        choices=[
            (1, _("понедельник")),
            (2, _("вторник")),
            (3, _("среда")),
            (4, _("четверг")),
            (5, _("пятница")),
            (6, _("суббота")),
            (7, _("воскресенье")),
        ],
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("час сводки (время школы)"),
        default=18,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
    )

    # The year.
    plan_deadline_days = models.PositiveSmallIntegerField(
        _("КТП вносится за, дней до начала года"),
        default=5,
        validators=_range(0, 60, _("Срок внесения КТП")),
    )
    year_opening_days = models.PositiveSmallIntegerField(
        _("напомнить открыть новый учебный год за, дней"),
        default=7,
        validators=_range(1, 60, _("Срок напоминания об открытии года")),
        help_text=_("7 — с 25 августа."),
    )
    year_check_days = models.PositiveSmallIntegerField(
        _("проверка разделов журнала — через, дней после начала года"),
        default=4,
        validators=_range(0, 60, _("Срок проверки журнала в начале года")),
        help_text=_("4 — до 5 сентября."),
    )

    # Retention (приказ Росархива № 236 от 20.12.2019).
    retention_journal_years = models.PositiveSmallIntegerField(
        _("хранение журналов, лет"),
        default=5,
        validators=_range(1, 100, _("Срок хранения журналов")),
    )
    retention_ledger_years = models.PositiveSmallIntegerField(
        _("хранение сводных ведомостей, лет"),
        default=25,
        validators=_range(1, 100, _("Срок хранения сводных ведомостей")),
    )
    retention_graduation_years = models.PositiveSmallIntegerField(
        _("хранение ведомостей выпускников, лет"),
        default=75,
        validators=_range(1, 100, _("Срок хранения ведомостей выпускников")),
    )
    # The record of who read personal data (152-ФЗ, ст. 19; accounts.access_log).
    access_log_days = models.PositiveSmallIntegerField(
        _("хранение журнала доступа к персональным данным, дней"),
        default=3 * 365,
        validators=_range(90, 3650, _("Срок хранения журнала доступа к персональным данным")),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("положение об ЭЖ")
        verbose_name_plural = _("положения об ЭЖ")

    def __str__(self):
        return str(self.title)

    # --- Validation and saving ---------------------------------------------------------------

    def save(self, *args, **kwargs):
        self._record_lock_change()
        super().save(*args, **kwargs)

    def clean(self):
        parts = [p.strip() for p in (self.no_marks_grades or "").replace(";", ",").split(",")]
        if not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts if p):
            raise ValidationError(
                {"no_marks_grades": _("Укажите номера параллелей через запятую, например «1, 2».")}
            )

    # --- Presets ---------------------------------------------------------------------------

    PRESETS = {
        Preset.SCHOOL: {},
        # Regulation 002 (a college): semesters, зачёт marked 2–5, homework within 3 hours.
        Preset.COLLEGE: {
            "credit_scale": CreditScale.FIVE,
            "homework_minutes": 180,
            "no_marks_grades": "",
        },
    }

    @classmethod
    def for_new_school(cls, school) -> "Regulation":
        preset = cls.Preset.COLLEGE if school.kind == "college" else cls.Preset.SCHOOL
        return cls(school=school, preset=preset, **cls.PRESETS[preset])

    def apply_preset(self, preset: str) -> None:
        defaults = {
            f.name: f.get_default()
            for f in self._meta.concrete_fields
            if f.editable and f.name not in ("id", "school", "title", "order_number", "order_date")
        }
        for name, value in {**defaults, **self.PRESETS[preset]}.items():
            setattr(self, name, value)
        self.preset = preset

    def lock_windows(self) -> dict[str, int]:
        return {
            RecordKind.MARK: self.lock_marks_days,
            RecordKind.ATTENDANCE: self.lock_attendance_days,
            RecordKind.TOPIC: self.lock_topics_days,
        }

    def _record_lock_change(self) -> None:
        windows = {str(k): v for k, v in self.lock_windows().items()}
        changes = list(self.lock_changes or [])
        last = {k: v for k, v in changes[-1].items() if k != "from"} if changes else None
        if last == windows:
            return
        # The first window holds from the beginning of time; later ones from the school's day
        # they were saved on.
        since = self.school.today().isoformat() if changes else date.min.isoformat()
        if changes and changes[-1]["from"] == since:
            changes.pop()  # changed twice in a day: the day's last value holds
        changes.append({"from": since, **windows})
        self.lock_changes = changes

    # --- Questions the product asks -------------------------------------------------------------

    def no_marks_grade_set(self) -> frozenset[int]:
        """The grades studying without marks (what is not a number is ignored: `clean`
        refuses it on the form)."""
        text = (self.no_marks_grades or "").replace(";", ",")
        return frozenset(int(part) for part in text.split(",") if part.strip().isdigit())

    def grade_without_marks(self, grade: int) -> bool:
        """A class of this grade studies without marks (безотметочное обучение)."""
        return grade in self.no_marks_grade_set()

    def lock_day(self, kind: str, lesson_date: date) -> date | None:
        """The first of the school's days on which a record of this kind of a lesson held on
        `lesson_date` is locked, or None for a kind that does not lock.

        Under a window of N days a record may be changed through the N-th day after the
        lesson and locks the day after. When the window changed, each rule governs the days
        from its change to the next one, and a record locks on the first day some rule locks
        it in its own time: a change never reopens what had locked, and a shorter window
        locks at once what it covers.
        """
        if kind not in LOCKING_KINDS:
            return None
        changes = self.lock_changes or [
            {"from": date.min.isoformat(), **{str(k): v for k, v in self.lock_windows().items()}}
        ]
        for index, change in enumerate(changes):
            since = date.fromisoformat(change["from"])
            locks = max(since, lesson_date + timedelta(days=change[str(kind)] + 1))
            following = changes[index + 1]["from"] if index + 1 < len(changes) else None
            if following is None or locks <= date.fromisoformat(following):
                return locks
        return None  # pragma: no cover - the last change always answers

    def records_deadline(self, lesson_date: date) -> date:
        """The last day a lesson's topic and attendance are entered on time."""
        return lesson_date + timedelta(days=self.records_days)

    def homework_deadline(
        self, lesson_date: date, last_lesson_end: time | None, next_lesson: datetime | None
    ) -> datetime:
        """When homework of a lesson is due in the journal, on the school's clock."""
        zone = self.school.zone
        end_of_day = datetime.combine(lesson_date, time(23, 59, 59), zone)
        if self.homework_rule == self.Homework.BY_TIME:
            return datetime.combine(lesson_date, self.homework_time, zone)
        if self.homework_rule == self.Homework.BY_NEXT_LESSON:
            return next_lesson.astimezone(zone) if next_lesson else end_of_day
        if last_lesson_end is None:
            return end_of_day
        ends = datetime.combine(lesson_date, last_lesson_end, zone)
        return ends + timedelta(minutes=self.homework_minutes)

    def marks_due(self, lesson_date: date, *, monitoring: bool) -> date:
        """The last day the marks of a written work held on `lesson_date` are due."""
        days = self.monitoring_days if monitoring else self.written_work_days
        return lesson_date + timedelta(days=days)

    def final_marks_deadline(self, period_end: date) -> date:
        """The last day final marks of a period ending on `period_end` may be set."""
        return period_end - timedelta(days=self.final_marks_days)

    def plan_deadline(self, year_start: date) -> date:
        return year_start - timedelta(days=self.plan_deadline_days)

    def year_opening_from(self, year_start: date) -> date:
        """The first day the administrator is reminded to open the year starting then."""
        return year_start - timedelta(days=self.year_opening_days)

    def year_check_day(self, year_start: date) -> date:
        return year_start + timedelta(days=self.year_check_days)

    @property
    def threshold(self) -> Decimal:
        """The fraction from which an average rounds up (0.01: any visible fraction)."""
        return self.THRESHOLDS[self.Rounding(self.rounding)]

    def round(self, average) -> int | None:
        """The mark an average rounds to under this school's rule (2–5), or None."""
        return round_mark(average, self.threshold)

    def retention_years(self, document_kind: str) -> int:
        """Years a document of the archive is kept: «journal», «ledger» or «graduation»."""
        return {
            "journal": self.retention_journal_years,
            "ledger": self.retention_ledger_years,
            "graduation": self.retention_graduation_years,
        }[document_kind]

    @property
    def order_label(self) -> str:
        """«Приказ № 706-О от 06.10.2020», or empty when the school has not filled it in."""
        if not self.order_number:
            return ""
        label = _("Приказ № %(number)s") % {"number": self.order_number}
        if self.order_date:
            label += " " + _("от %(date)s") % {"date": self.order_date.strftime("%d.%m.%Y")}
        return label
