from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User

# The dated-row rules and the scoped manager: their own module (models_practice uses them).
from .dated import DatedQuerySet, held_between, held_on, scoped  # noqa: F401


class SchoolYearQuerySet(DatedQuerySet):
    def current(self, day: date):
        """The year that holds `day` (the school's day), or None.

        Unlike the other dated querysets this returns one year, not a queryset: a school has
        at most one year on any date (years of one school do not overlap).
        """
        return self.on(day).order_by("-start").first()


class SchoolYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="years")
    name = models.CharField(_("учебный год"), max_length=20)  # «2026/2027»
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    # A closed year is read-only everywhere (grading.policy refuses every write).
    closed_at = models.DateTimeField(_("год закрыт"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = scoped(SchoolYearQuerySet)

    class Meta:
        verbose_name = _("учебный год")
        verbose_name_plural = _("учебные годы")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_year_name"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="year_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def default_bounds(first_year: int) -> tuple[date, date]:
        return date(first_year, 9, 1), date(first_year + 1, 8, 31)

    @staticmethod
    def default_name(first_year: int) -> str:
        return f"{first_year}/{first_year + 1}"

    @staticmethod
    def first_year_for(day: date) -> int:
        """The calendar year a school year holding `day` starts in (September to August)."""
        return day.year if day.month >= 9 else day.year - 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


class StudyPeriodQuerySet(DatedQuerySet):
    def for_date(self, day: date):
        return self.on(day)

    def for_grade(self, grade: int):
        return self.filter(grade_from__lte=grade, grade_to__gte=grade)


class StudyPeriod(models.Model):
    """A quarter, trimester or semester for a range of grades.

    Grades 1–9 may study by quarters while 10–11 study by semesters.
    """

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("четверть")
        TRIMESTER = "trimester", _("триместр")
        SEMESTER = "semester", _("полугодие (семестр)")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("номер"))
    grade_from = models.PositiveSmallIntegerField(_("с параллели"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("по параллель"), default=11)
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))

    objects = scoped(StudyPeriodQuerySet)

    class Meta:
        verbose_name = _("учебный период")
        verbose_name_plural = _("учебные периоды")
        ordering = ["year", "grade_from", "start"]
        indexes = [models.Index(fields=["school", "year", "start"])]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    @property
    def grades_label(self) -> str:
        if self.grade_from == self.grade_to:
            return _("%(grade)s кл.") % {"grade": self.grade_from}
        return _("%(a)s–%(b)s кл.") % {"a": self.grade_from, "b": self.grade_to}

    @property
    def name(self) -> str:
        return str(self)

    def covers_grade(self, grade: int) -> bool:
        return self.grade_from <= grade <= self.grade_to


class Holiday(models.Model):
    """Каникулы, праздники и другие дни без уроков."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("название"), max_length=100)
    start = models.DateField(_("с"))
    end = models.DateField(_("по"))
    grade_from = models.PositiveSmallIntegerField(_("с параллели"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("по параллель"), default=11)

    objects = scoped(DatedQuerySet)

    class Meta:
        verbose_name = _("каникулы или выходной")
        verbose_name_plural = _("каникулы и выходные")
        ordering = ["start"]

    def __str__(self):
        return self.name

    def covers_grade(self, grade: int) -> bool:
        return self.grade_from <= grade <= self.grade_to


class BellSchedule(models.Model):
    """Расписание звонков одной смены."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("название"), max_length=100)

    objects = scoped()

    class Meta:
        verbose_name = _("расписание звонков")
        verbose_name_plural = _("расписания звонков")

    def __str__(self):
        return self.name


class Bell(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(BellSchedule, on_delete=models.CASCADE, related_name="bells")
    number = models.PositiveSmallIntegerField(_("номер урока"))
    start = models.TimeField(_("начало"))
    end = models.TimeField(_("окончание"))

    objects = scoped()

    class Meta:
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="unique_bell_number")
        ]

    def __str__(self):
        return f"{self.number}: {self.start:%H:%M}–{self.end:%H:%M}"


class SchoolClass(models.Model):
    """A class («5А») of a school, or a group («ТМ-21») of a college, in one school year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="classes", verbose_name=_("учебный год")
    )
    grade = models.PositiveSmallIntegerField(_("параллель (год обучения)"))
    letter = models.CharField(_("литера или название группы"), max_length=20)
    class_teacher = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_classes",
        verbose_name=_("классный руководитель"),
    )
    bell_schedule = models.ForeignKey(
        BellSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("смена (звонки)"),
    )
    # 1st grade: attendance and topics only — no marks, no homework (безотметочное обучение).
    # Services create a class of a grade the regulation names with no_marks on, unless told
    # otherwise.
    no_marks = models.BooleanField(_("без отметок"), default=False)
    # A college's group: its speciality (its `grade` is then the course, the year of study).
    speciality = models.ForeignKey(
        "schedule.Speciality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("специальность (профессия)"),
    )
    # A college's group belongs to a department (отделение, schedule.departments).
    department = models.ForeignKey(
        "schedule.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("отделение"),
    )
    history = HistoricalRecords()

    objects = scoped()

    class Meta:
        verbose_name = _("класс")
        verbose_name_plural = _("классы")
        ordering = ["grade", "letter"]
        permissions = [("manage_class", _("Классное руководство"))]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "grade", "letter"], name="unique_class_name"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        # A school class reads «5А»; a college group already carries its full name («ТМ-21»).
        return f"{self.grade}{self.letter}" if len(self.letter) <= 2 else self.letter

    def graduates(self, school_kind: str) -> bool:
        """Whether the class leaves the school after this year: the 9th and 11th grades of a
        school; a college's group on the last course of its speciality."""
        if school_kind == School.Kind.COLLEGE:
            courses = self.speciality.courses if self.speciality_id else COLLEGE_COURSES
            return self.grade >= courses
        return self.grade in GRADUATING_GRADES

    @staticmethod
    def default_no_marks(school, grade: int) -> bool:
        """Whether a class of this grade studies without marks, by the school's regulation."""
        return school.regulation.grade_without_marks(grade)


GRADUATING_GRADES = (9, 11)
COLLEGE_COURSES = 4  # a group with no speciality set: 3 г. 10 мес., the usual length


class SchoolClassUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SchoolClass, on_delete=models.CASCADE)


class Enrolment(models.Model):
    """A pupil's stay in a class («движение контингента»): arrival to departure or transfer."""

    class Reason(models.TextChoices):
        ARRIVAL = "arrival", _("прибытие")
        TRANSFER = "transfer", _("перевод из другого класса")
        START = "start", _("начало учебного года")
        # The rollover (schedule.services.rollover): moved up conditionally, or kept down.
        CONDITIONAL = "conditional", _("переведён условно")
        REPEAT = "repeat", _("оставлен на повторное обучение")

    class EndReason(models.TextChoices):
        DEPARTURE = "departure", _("выбытие")
        TRANSFER = "transfer", _("перевод в другой класс")
        YEAR_END = "year_end", _("окончание учебного года")
        GRADUATED = "graduated", _("окончание обучения")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="enrolments"
    )
    start = models.DateField(_("зачислен"))
    reason = models.CharField(
        _("основание"), max_length=12, choices=Reason.choices, default=Reason.START
    )
    order_number = models.CharField(_("номер приказа"), max_length=50, blank=True)
    end = models.DateField(_("выбыл"), null=True, blank=True)
    end_reason = models.CharField(
        _("причина выбытия"), max_length=12, choices=EndReason.choices, blank=True
    )
    end_order_number = models.CharField(_("номер приказа о выбытии"), max_length=50, blank=True)
    # Where the pupil came from, where they went: «из МБОУ СОШ №3», «в связи с переездом».
    note = models.CharField(_("откуда прибыл"), max_length=200, blank=True)
    end_note = models.CharField(_("куда выбыл"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = scoped(DatedQuerySet)

    class Meta:
        verbose_name = _("зачисление")
        verbose_name_plural = _("зачисления")
        ordering = ["start"]
        indexes = [models.Index(fields=["school", "school_class", "start"])]
        constraints = [
            # `end` is the last day in the class; a pupil is in at most one class at a time.
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="enrolment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["pupil"], condition=models.Q(end__isnull=True), name="one_open_enrolment"
            ),
        ]

    def __str__(self):
        return f"{self.pupil} — {self.school_class}"


class Subject(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(_("предмет"), max_length=150)
    short_name = models.CharField(_("сокращение"), max_length=30)

    objects = scoped()

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_subject_name")
        ]

    def __str__(self):
        return self.name


class Subgroup(models.Model):
    """Part of a class for one subject (English group 1 and 2)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="subgroups"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("название"), max_length=50)

    objects = scoped()

    class Meta:
        verbose_name = _("подгруппа")
        verbose_name_plural = _("подгруппы")
        ordering = ["school_class", "subject", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "name"], name="unique_subgroup_name"
            )
        ]

    def __str__(self):
        return f"{self.school_class} {self.subject.short_name}: {self.name}"


class SubgroupMembership(models.Model):
    """A pupil in a subgroup for a span of dates.

    Moves happen at a period boundary, or on a parent's recorded request.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="memberships")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="subgroup_memberships")
    start = models.DateField(_("с"))
    end = models.DateField(_("по"), null=True, blank=True)
    parent_request = models.CharField(
        _("заявление родителя"),
        max_length=200,
        blank=True,
        help_text=_("Номер и дата заявления, если перевод не на границе периода"),
    )
    parent_request_date = models.DateField(_("дата заявления"), null=True, blank=True)
    history = HistoricalRecords()

    objects = scoped(DatedQuerySet)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["school", "subgroup", "start"])]

    def __str__(self):
        return f"{self.pupil} — {self.subgroup}"


class Course(models.Model):
    """The unit of a teacher's journal page: a class or subgroup × a subject × a year."""

    class Scale(models.TextChoices):
        FIVE = "five", _("пятибалльная (2–5)")
        PASS_FAIL = "pass_fail", _("зачёт / незачёт")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="courses")
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="courses")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="courses")
    subgroup = models.ForeignKey(
        Subgroup, on_delete=models.PROTECT, null=True, blank=True, related_name="courses"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="courses")
    teachers = models.ManyToManyField(User, through="CourseTeacher", related_name="courses")
    hours_per_week = models.DecimalField(
        _("часов в неделю"), max_digits=3, decimal_places=1, default=0
    )
    hours_per_year = models.PositiveSmallIntegerField(_("часов по учебному плану"), default=0)
    scale = models.CharField(_("шкала"), max_length=10, choices=Scale.choices, default=Scale.FIVE)
    # Why the course is behind its plan at the year's end, in the teacher's words (the year-end
    # checklist asks it of every lagging course: archive.services.closing).
    plan_lag_reason = models.CharField(
        _("причина отставания от программы"), max_length=500, blank=True
    )

    objects = scoped()

    class Meta:
        verbose_name = _("курс")
        verbose_name_plural = _("курсы")
        ordering = ["school_class", "subject", "subgroup"]
        permissions = [("teach_course", _("Ведение журнала курса"))]
        indexes = [models.Index(fields=["school", "year", "school_class"])]
        constraints = [
            # One whole-class course per subject, and one course per subgroup.
            models.UniqueConstraint(
                fields=["school_class", "subject"],
                condition=models.Q(subgroup__isnull=True),
                name="one_class_course_per_subject",
                violation_error_message=_("У этого класса курс по этому предмету уже есть."),
            ),
            models.UniqueConstraint(
                fields=["subgroup"],
                condition=models.Q(subgroup__isnull=False),
                name="one_course_per_subgroup",
                violation_error_message=_("У этой подгруппы курс уже есть."),
            ),
        ]

    def __str__(self):
        if self.subgroup_id:
            return f"{self.school_class} {self.subject} ({self.subgroup.name})"
        return f"{self.school_class} {self.subject}"

    @property
    def gives_marks(self) -> bool:
        return not self.school_class.no_marks


class CourseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Course, on_delete=models.CASCADE)


class CourseTeacher(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_teachers")
    teacher = models.ForeignKey(User, on_delete=models.CASCADE, related_name="course_assignments")
    # Who taught what, and from when to when: an assignment ends when it is removed or the
    # teacher's role ends (services.grants); its history keeps it.
    history = HistoricalRecords()

    objects = scoped()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "teacher"], name="unique_course_teacher")
        ]

    def __str__(self):
        return f"{self.teacher} — {self.course}"


class ImportBatch(models.Model):
    """Rows of an uploaded file kept between the preview and the confirmation.

    The file is parsed once; the rows wait here (not in the session, which may be small),
    so the user confirms without uploading again. Kept a day, then cleaned up.
    """

    class Kind(models.TextChoices):
        CLASSES = "classes", _("классы")
        PUPILS = "pupils", _("обучающиеся")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("что загружается"), max_length=20, choices=Kind.choices)
    year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(_("файл"), max_length=200)
    rows = models.JSONField(default=list)  # [{"line": 2, "values": {...}}, ...]
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_count = models.PositiveIntegerField(default=0)

    objects = scoped()

    class Meta:
        verbose_name = _("загрузка файла")
        verbose_name_plural = _("загрузки файлов")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"


class Room(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("кабинет"), max_length=50)

    objects = scoped()

    class Meta:
        verbose_name = _("кабинет")
        verbose_name_plural = _("кабинеты")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_room_name")]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("понедельник")
    TUESDAY = 2, _("вторник")
    WEDNESDAY = 3, _("среда")
    THURSDAY = 4, _("четверг")
    FRIDAY = 5, _("пятница")
    SATURDAY = 6, _("суббота")


class TimetableEntry(models.Model):
    """A weekly slot of a course: weekday × lesson number, in a room, between two dates.

    Alternating weeks count by the ISO week number (`runs_on`).
    """

    class Weeks(models.TextChoices):
        EVERY = "every", _("каждую неделю")
        ODD = "odd", _("нечётные недели")
        EVEN = "even", _("чётные недели")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="timetable_entries")
    weekday = models.PositiveSmallIntegerField(_("день недели"), choices=Weekday.choices)
    number = models.PositiveSmallIntegerField(_("номер урока"))
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("кабинет")
    )
    valid_from = models.DateField(_("действует с"))
    valid_to = models.DateField(_("действует по"))
    weeks = models.CharField(_("недели"), max_length=5, choices=Weeks.choices, default=Weeks.EVERY)

    objects = scoped()

    class Meta:
        verbose_name = _("урок в расписании")
        verbose_name_plural = _("расписание")
        ordering = ["weekday", "number"]
        indexes = [models.Index(fields=["school", "weekday", "number"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__gte=1, weekday__lte=6), name="timetable_weekday_range"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="timetable_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.course} {self.weekday}/{self.number}"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError(_("Дата окончания раньше даты начала."))

    def runs_on(self, day: date) -> bool:
        if day.isoweekday() != self.weekday or not self.valid_from <= day <= self.valid_to:
            return False
        return self.runs_in_week_of(day)

    def runs_in_week_of(self, day: date) -> bool:
        if self.weeks == self.Weeks.EVERY:
            return True
        odd = day.isocalendar().week % 2 == 1
        return odd == (self.weeks == self.Weeks.ODD)


# What makes a lesson «filled» — it holds something a person entered, so the timetable may no
# longer remove or rewrite it. Schedule knows the topic; apps above it (grading: marks,
# journal: attendance, homework) add theirs from their AppConfig.ready() with
# `register_lesson_filler(lambda: Exists(Mark.objects.filter(lesson=OuterRef("pk"))))`.
# Each filler returns a boolean expression over Lesson, so `filled()` stays one query.
LESSON_FILLERS: list = []


def register_lesson_filler(filler) -> None:
    if filler not in LESSON_FILLERS:
        LESSON_FILLERS.append(filler)


def lesson_filled_condition() -> models.Q:
    condition = ~models.Q(topic="")
    for filler in LESSON_FILLERS:
        condition |= models.Q(filler())
    return condition


class LessonQuerySet(models.QuerySet):
    def between(self, start: date, end: date):
        return self.filter(date__gte=start, date__lte=end)

    def for_teacher(self, user):
        """Lessons a teacher gives: of their courses, or those they stand in for."""
        return self.filter(
            models.Q(course__course_teachers__teacher=user) | models.Q(substitute=user)
        ).distinct()

    def filled(self):
        """Lessons holding a topic (or, registered by higher apps, marks or absences)."""
        return self.filter(lesson_filled_condition())

    def unfilled(self):
        return self.exclude(lesson_filled_condition())

    def planned(self):
        return self.filter(status=Lesson.Status.PLANNED)


class Lesson(models.Model):
    """One dated lesson of a course. The journal's rows hang from it."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("урок")
        TEST = "test", _("контрольная работа")
        INDEPENDENT = "independent", _("самостоятельная работа")
        LAB = "lab", _("лабораторная работа")
        PRACTICE = "practice", _("практическая работа")
        DICTATION = "dictation", _("диктант")
        SUMMARY = "summary", _("изложение")
        ESSAY = "essay", _("сочинение")
        MONITORING = "monitoring", _("мониторинговая работа")
        CREDIT = "credit", _("зачёт")
        EXCURSION = "excursion", _("экскурсия")

    # Written works: their marks are due within the regulation's days (monitoring: its own).
    WRITTEN_KINDS = frozenset(
        {
            Kind.TEST,
            Kind.INDEPENDENT,
            Kind.LAB,
            Kind.PRACTICE,
            Kind.DICTATION,
            Kind.SUMMARY,
            Kind.ESSAY,
            Kind.MONITORING,
        }
    )

    class Status(models.TextChoices):
        PLANNED = "planned", _("по расписанию")
        CANCELLED = "cancelled", _("отменён")
        MOVED = "moved", _("перенесён")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    timetable_entry = models.ForeignKey(
        TimetableEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    date = models.DateField(_("дата"))
    number = models.PositiveSmallIntegerField(_("номер урока"))
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("кабинет")
    )
    topic = models.CharField(_("тема"), max_length=500, blank=True)
    kind = models.CharField(
        _("тип урока"), max_length=12, choices=Kind.choices, default=Kind.LESSON
    )
    # Regulation 000 §3.2: the lesson records who held it, and whether it was a substitution.
    substitute = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substituted_lessons",
        verbose_name=_("замещающий учитель"),
    )
    held_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_lessons",
        verbose_name=_("провёл"),
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_reason = models.CharField(_("причина отмены или переноса"), max_length=300, blank=True)
    moved_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moved_from",
        verbose_name=_("перенесён на"),
    )
    # Made by materialising the timetable (schedule.lessons.materialise): only such lessons
    # are added or removed when the timetable changes. A moved-in lesson is made by hand.
    from_timetable = models.BooleanField(_("по расписанию"), default=False, editable=False)
    history = HistoricalRecords()

    objects = scoped(LessonQuerySet)

    class Meta:
        verbose_name = _("урок")
        verbose_name_plural = _("уроки")
        ordering = ["date", "number"]
        permissions = [("substitute_lesson", _("Замещение урока"))]
        indexes = [
            models.Index(fields=["school", "course", "date"]),
            models.Index(fields=["school", "date", "number"]),
        ]
        constraints = [
            # One held (planned) lesson of a course in a slot; cancelled and moved ones stay
            # as records beside it.
            models.UniqueConstraint(
                fields=["course", "date", "number"],
                condition=models.Q(status="planned"),
                name="one_planned_lesson_per_course_slot",
            )
        ]

    def __str__(self):
        return f"{self.course} {self.date:%d.%m.%Y} ({self.number})"

    @property
    def is_substitution(self) -> bool:
        return self.substitute_id is not None

    @property
    def is_written_work(self) -> bool:
        return self.kind in self.WRITTEN_KINDS


class LessonUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Lesson, on_delete=models.CASCADE)


# Practice periods and places (a college's groups): their own module.
# Departments of a college, in their own module.
from .departments import Department  # noqa: E402, F401
from .models_practice import SUPERVISOR_ROLES, PracticePeriod, PracticePlace  # noqa: E402, F401

# Its own module; a group's foreign key names it, and it is found here like every model.
from .specialities import Speciality  # noqa: E402, F401
