"""The calendar-thematic plan (КТП): topics, the next topic of a lesson, plan versus fact.

A topic of N hours is the topic of N lessons. Lessons take the plan's topics in order: the
default topic of a lesson is the first topic (in plan order) that the course's earlier lessons
have used fewer times than it has hours. Plan versus fact lays the plan's hours over the
course's lessons in date order (that is the «calendar» of the plan) and compares.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schedule.models import Course, CourseTeacher, Lesson, SchoolYear
from schedule.versions import courses_changed

from ..models import LessonRecord, PlanTopic

# Regulation 002 §3.2: the plan is entered «не позднее, чем за 5 календарных дней до начала
# учебного года». The same default suits the schools, whose regulations set no other date.
PLAN_DEADLINE_DAYS = 5
MAX_TOPIC_HOURS = 99


def plan_deadline(year: SchoolYear) -> date:
    """The last day a course's plan may be entered on time."""
    return year.start - timedelta(days=PLAN_DEADLINE_DAYS)


def local_date(moment) -> date:
    return timezone.localdate(moment) if moment is not None else None


# --- Editing the plan -------------------------------------------------------------------------


def used_counts(course) -> Counter:
    """How many lessons (not cancelled or moved away) follow each topic of the course."""
    rows = (
        LessonRecord.objects.filter(course=course, plan_topic__isnull=False)
        .filter(lesson__status=Lesson.Status.PLANNED)
        .values("plan_topic_id")
        .annotate(n=Count("pk"))
    )
    return Counter({row["plan_topic_id"]: row["n"] for row in rows})


def topic_is_used(topic: PlanTopic) -> bool:
    return LessonRecord.objects.filter(plan_topic=topic).exists()


def validate_topic(title: str, hours, kind: str) -> None:
    if not (title or "").strip():
        raise ValidationError(_("Укажите тему."))
    if not isinstance(hours, int) or not 1 <= hours <= MAX_TOPIC_HOURS:
        raise ValidationError(_("Часы — целое число от 1 до %(max)s.") % {"max": MAX_TOPIC_HOURS})
    if kind not in Lesson.Kind.values:
        raise ValidationError(_("Неизвестный тип урока."))


@transaction.atomic
def add_topic(course, *, title: str, hours: int, kind: str, user) -> PlanTopic:
    validate_topic(title, hours, kind)
    last = PlanTopic.objects.filter(course=course).aggregate(m=Max("position"))["m"] or 0
    topic = PlanTopic(
        school_id=course.school_id,
        course=course,
        position=last + 1,
        title=title.strip(),
        hours=hours,
        kind=kind,
        created_by=user,
    )
    topic._history_user = user
    topic.save()
    return topic


def update_topic(topic: PlanTopic, *, title: str, hours: int, kind: str, user) -> PlanTopic:
    """Change a topic. A topic already taken by lessons may change; its lessons keep their own
    topic text (with its history), so the journal never changes behind the teacher's back."""
    validate_topic(title, hours, kind)
    topic.title, topic.hours, topic.kind = title.strip(), hours, kind
    topic._history_user = user
    topic.save(update_fields=["title", "hours", "kind"])
    return topic


@transaction.atomic
def move_topic(topic: PlanTopic, direction: str, user) -> bool:
    """Swap a topic with its neighbour above ("up") or below ("down").

    Only topics no lesson has taken move: the order of used topics is the journal's record.
    Returns False when there is nowhere to move.
    """
    siblings = PlanTopic.objects.filter(course_id=topic.course_id).select_for_update()
    if direction == "up":
        neighbour = siblings.filter(
            Q(position__lt=topic.position) | Q(position=topic.position, pk__lt=topic.pk)
        ).order_by("-position", "-pk")
    else:
        neighbour = siblings.filter(
            Q(position__gt=topic.position) | Q(position=topic.position, pk__gt=topic.pk)
        ).order_by("position", "pk")
    neighbour = neighbour.first()
    if neighbour is None:
        return False
    used = set(
        LessonRecord.objects.filter(plan_topic__in=[topic, neighbour]).values_list(
            "plan_topic_id", flat=True
        )
    )
    if used:
        raise ValidationError(_("Темы, по которым уже проведены уроки, не переставляются."))
    if topic.position == neighbour.position:
        # Equal positions (after an import into the middle): make the order explicit first.
        neighbour.position += 1 if direction == "down" else -1
    topic.position, neighbour.position = neighbour.position, topic.position
    for item in (topic, neighbour):
        item._history_user = user
        item.save(update_fields=["position"])
    return True


def delete_topic(topic: PlanTopic, user) -> None:
    """Delete a topic no lesson has taken (the plan is not yet journal data)."""
    if topic_is_used(topic):
        raise ValidationError(_("По этой теме уже проведены уроки: удалить её нельзя."))
    topic._history_user = user
    topic.delete()


@transaction.atomic
def import_topics(course, rows: list[dict], *, replace: bool, user) -> int:
    """Add parsed rows (title, hours, kind) to the plan, or replace a plan not yet in use."""
    for row in rows:
        validate_topic(row["title"], row["hours"], row["kind"])
    existing = PlanTopic.objects.filter(course=course)
    if replace:
        if LessonRecord.objects.filter(plan_topic__course=course).exists():
            raise ValidationError(
                _("По КТП уже проведены уроки: заменить его нельзя, можно только дополнить.")
            )
        for topic in existing:
            topic._history_user = user
            topic.delete()
        start = 0
    else:
        start = existing.aggregate(m=Max("position"))["m"] or 0
    topics = [
        PlanTopic(
            school_id=course.school_id,
            course=course,
            position=start + i,
            title=row["title"].strip(),
            hours=row["hours"],
            kind=row["kind"],
            created_by=user,
        )
        for i, row in enumerate(rows, start=1)
    ]
    bulk_create_with_history(topics, PlanTopic, default_user=user)
    return len(topics)


# --- Hours against the curriculum --------------------------------------------------------------


@dataclass
class HoursCheck:
    planned: int
    curriculum: int

    @property
    def difference(self) -> int:
        return self.planned - self.curriculum

    @property
    def matches(self) -> bool:
        return self.difference == 0

    @property
    def message(self) -> str:
        if self.curriculum == 0:
            return _("В учебном плане у курса не указаны часы.")
        if self.difference == 0:
            return _("Часы КТП совпадают с учебным планом.")
        if self.difference > 0:
            return _("В КТП на %(n)s ч больше, чем по учебному плану (%(c)s ч).") % {
                "n": self.difference,
                "c": self.curriculum,
            }
        return _("В КТП на %(n)s ч меньше, чем по учебному плану (%(c)s ч).") % {
            "n": -self.difference,
            "c": self.curriculum,
        }


def hours_check(course, topics) -> HoursCheck:
    return HoursCheck(sum(t.hours for t in topics), course.hours_per_year)


# --- The lesson's topic -----------------------------------------------------------------------


def earlier_than(lesson) -> Q:
    return Q(lesson__date__lt=lesson.date) | Q(
        lesson__date=lesson.date, lesson__number__lt=lesson.number
    )


def first_open_topic(topics, used: Counter):
    for topic in topics:
        if used[topic.pk] < topic.hours:
            return topic
    return None


def next_topic(lesson) -> PlanTopic | None:
    """The plan topic a lesson takes by default: the first not yet used up by earlier lessons."""
    topics = list(PlanTopic.objects.filter(course_id=lesson.course_id).order_by("position", "pk"))
    if not topics:
        return None
    rows = (
        LessonRecord.objects.filter(course_id=lesson.course_id, plan_topic__isnull=False)
        .filter(earlier_than(lesson), lesson__status=Lesson.Status.PLANNED)
        .values("plan_topic_id")
        .annotate(n=Count("pk"))
    )
    used = Counter({row["plan_topic_id"]: row["n"] for row in rows})
    return first_open_topic(topics, used)


def record_of(lesson) -> LessonRecord:
    try:
        return lesson.record
    except LessonRecord.DoesNotExist:
        return LessonRecord(school_id=lesson.school_id, lesson=lesson, course_id=lesson.course_id)


@transaction.atomic
def save_lesson_topic(lesson, *, plan_topic, topic: str, kind: str, note: str, user) -> Lesson:
    """Set a lesson's topic, type and the teacher's note; history records who did it."""
    if plan_topic is not None and plan_topic.course_id != lesson.course_id:
        raise ValidationError(_("Эта тема из КТП другого курса."))
    topic = (topic or "").strip() or (plan_topic.title if plan_topic else "")
    if kind not in Lesson.Kind.values:
        raise ValidationError(_("Неизвестный тип урока."))
    if (lesson.topic, lesson.kind) != (topic, kind):
        lesson.topic, lesson.kind = topic, kind
        lesson._history_user = user
        lesson.save(update_fields=["topic", "kind"])
    record = record_of(lesson)
    new_topic_id = plan_topic.pk if plan_topic else None
    if record.pk is None or (record.plan_topic_id, record.note) != (new_topic_id, note):
        record.plan_topic_id, record.note = new_topic_id, note
        record._history_user = user
        record.save()
        lesson.record = record
    return lesson


@transaction.atomic
def fill_topics_from_plan(course, *, until: date, user) -> int:
    """Give every held lesson without a topic, up to `until`, its default plan topic.

    The walk goes through the course's lessons in order, so each lesson takes what it would
    take on its own page. Returns the number of lessons filled.
    """
    topics = list(PlanTopic.objects.filter(course=course).order_by("position", "pk"))
    if not topics:
        return 0
    lessons = list(
        Lesson.objects.filter(course=course, status=Lesson.Status.PLANNED)
        .select_related("record")
        .order_by("date", "number")
    )
    by_id = {t.pk: t for t in topics}
    used: Counter = Counter()
    changed_lessons, new_records, changed_records = [], [], []
    for lesson in lessons:
        record = getattr(lesson, "record", None)
        if record is not None and record.plan_topic_id:
            used[record.plan_topic_id] += 1
            continue
        if lesson.topic or lesson.date > until:
            continue
        topic = first_open_topic(topics, used)
        if topic is None:
            break
        used[topic.pk] += 1
        lesson.topic, lesson.kind = topic.title, topic.kind
        changed_lessons.append(lesson)
        if record is None:
            new_records.append(
                LessonRecord(
                    school_id=course.school_id, lesson=lesson, course=course, plan_topic=topic
                )
            )
        else:
            record.plan_topic = by_id[topic.pk]
            changed_records.append(record)
    if changed_lessons:
        bulk_update_with_history(
            changed_lessons, Lesson, ["topic", "kind"], default_user=user, batch_size=500
        )
        courses_changed([course.pk])  # bulk writes send no signals
    if new_records:
        bulk_create_with_history(new_records, LessonRecord, default_user=user, batch_size=500)
    if changed_records:
        bulk_update_with_history(
            changed_records, LessonRecord, ["plan_topic"], default_user=user, batch_size=500
        )
    return len(changed_lessons)


# --- Plan versus fact ---------------------------------------------------------------------------


@dataclass
class TopicFact:
    topic: PlanTopic
    number: int
    planned_dates: list = field(default_factory=list)
    held_dates: list = field(default_factory=list)
    held_lessons: list = field(default_factory=list)  # [(date, lesson pk)] for links
    status: str = ""

    STATUS_LABELS = {
        "done": _("пройдена"),
        "started": _("идёт"),
        "overdue": _("отставание"),
        "ahead": _("опережение"),
        "ahead_done": _("пройдена досрочно"),
        "waiting": _("впереди"),
    }

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS.get(self.status, "")


@dataclass
class PlanFact:
    course: Course
    today: date
    topics: list  # [TopicFact]
    plan_hours: int
    curriculum_hours: int
    scheduled: int  # lessons of the course by the timetable up to today (held or cancelled)
    planned: int  # plan hours due by today
    held: int  # lessons held up to today
    covered: int  # plan hours the held lessons covered
    without_topic: int  # held lessons that follow no plan topic
    lessons_total: int  # every lesson of the course this year, past and future

    @property
    def difference(self) -> int:
        return self.covered - self.planned

    @property
    def state(self) -> str:
        if not self.topics:
            return "no_plan"
        if self.difference < 0:
            return "behind"
        if self.difference > 0:
            return "ahead"
        return "on_plan"

    @property
    def state_label(self) -> str:
        n = abs(self.difference)
        return {
            "no_plan": _("КТП не заполнен"),
            "behind": _("отставание на %(n)s ч") % {"n": n},
            "ahead": _("опережение на %(n)s ч") % {"n": n},
            "on_plan": _("по плану"),
        }[self.state]


def plan_fact(course, today: date | None = None) -> PlanFact:
    """Planned, held, behind or ahead for one course (two queries, whatever its size)."""
    today = today or timezone.localdate()
    topics = list(PlanTopic.objects.filter(course=course).order_by("position", "pk"))
    # A moved lesson is replaced by the lesson it moved to; a cancelled one was planned but
    # not held, so the plan falls behind by it.
    lessons = list(
        Lesson.objects.filter(course=course)
        .exclude(status=Lesson.Status.MOVED)
        .order_by("date", "number")
        .values_list("date", "status", "record__plan_topic_id", "pk")
    )
    facts = [TopicFact(topic=t, number=i) for i, t in enumerate(topics, start=1)]
    by_id = {f.topic.pk: f for f in facts}
    # The calendar of the plan: hour slots laid over the lessons in order.
    slots = [f for f in facts for _hour in range(f.topic.hours)]
    for fact, (day, _status, _topic, _pk) in zip(slots, lessons, strict=False):
        fact.planned_dates.append(day)
    held = without_topic = scheduled = 0
    for day, status, topic_id, lesson_id in lessons:
        if day > today:
            continue
        scheduled += 1
        if status != Lesson.Status.PLANNED:
            continue
        held += 1
        if topic_id in by_id:
            by_id[topic_id].held_dates.append(day)
            by_id[topic_id].held_lessons.append((day, lesson_id))
        else:
            without_topic += 1
    covered = 0
    for fact in facts:
        done = min(len(fact.held_dates), fact.topic.hours)
        covered += done
        due = sum(1 for d in fact.planned_dates if d <= today)
        if done >= fact.topic.hours:
            fact.status = "ahead_done" if due < fact.topic.hours else "done"
        elif done > due:
            fact.status = "ahead"
        elif done < due:
            fact.status = "overdue"
        elif done:
            fact.status = "started"
        else:
            fact.status = "waiting"
    plan_hours = len(slots)
    return PlanFact(
        course=course,
        today=today,
        topics=facts,
        plan_hours=plan_hours,
        curriculum_hours=course.hours_per_year,
        scheduled=scheduled,
        planned=min(plan_hours, scheduled),
        held=held,
        covered=covered,
        without_topic=without_topic,
        lessons_total=len(lessons),
    )


# --- Plans of many courses: the teacher's list and the deputy's check --------------------------


@dataclass
class PlanStatus:
    course: Course
    topics: int
    hours: int
    first_entered: date | None
    deadline: date
    today: date

    @property
    def has_plan(self) -> bool:
        return self.topics > 0

    @property
    def late(self) -> bool:
        if self.has_plan:
            return self.first_entered > self.deadline
        return self.today > self.deadline

    @property
    def hours_difference(self) -> int:
        return self.hours - self.course.hours_per_year

    @property
    def teachers(self) -> str:
        return ", ".join(ct.teacher.short_name for ct in self.course.course_teachers.all())

    @property
    def needs_attention(self) -> bool:
        return not self.has_plan or self.late

    @property
    def label(self) -> str:
        if not self.has_plan:
            return _("нет КТП, срок прошёл") if self.late else _("нет КТП")
        return _("введён с опозданием") if self.late else _("введён в срок")


def plan_statuses(courses, year: SchoolYear, today: date | None = None) -> list[PlanStatus]:
    """One row per course: topics, hours, when the plan was entered, and the deadline."""
    today = today or timezone.localdate()
    deadline = plan_deadline(year)
    courses = (
        courses.filter(year=year)
        .select_related("school_class", "subject", "subgroup")
        .prefetch_related(
            Prefetch("course_teachers", queryset=CourseTeacher.objects.select_related("teacher"))
        )
        .annotate(
            plan_topics_count=Count("plan_topics"),
            plan_hours=Sum("plan_topics__hours"),
            plan_first=Min("plan_topics__created_at"),
        )
        .order_by("school_class__grade", "school_class__letter", "subject__name", "subgroup__name")
    )
    return [
        PlanStatus(
            course=c,
            topics=c.plan_topics_count,
            hours=c.plan_hours or 0,
            first_entered=local_date(c.plan_first),
            deadline=deadline,
            today=today,
        )
        for c in courses
    ]


def year_for_plans(school_years, today: date | None = None):
    """The year the plans are about: the current one, else the next to start, else the last."""
    today = today or timezone.localdate()
    years = sorted(school_years, key=lambda y: y.start)
    for year in years:
        if year.start <= today <= year.end:
            return year
    upcoming = [y for y in years if y.start > today]
    if upcoming:
        return upcoming[0]
    return years[-1] if years else None


# The lesson types a teacher may write in a file: every label, and the common short forms.
KIND_ALIASES = {
    "урок": Lesson.Kind.LESSON,
    "кр": Lesson.Kind.TEST,
    "к/р": Lesson.Kind.TEST,
    "контрольная": Lesson.Kind.TEST,
    "ср": Lesson.Kind.INDEPENDENT,
    "с/р": Lesson.Kind.INDEPENDENT,
    "самостоятельная": Lesson.Kind.INDEPENDENT,
    "лр": Lesson.Kind.LAB,
    "л/р": Lesson.Kind.LAB,
    "лабораторная": Lesson.Kind.LAB,
    "пр": Lesson.Kind.PRACTICE,
    "п/р": Lesson.Kind.PRACTICE,
    "практическая": Lesson.Kind.PRACTICE,
    "практикум": Lesson.Kind.PRACTICE,
    "контрольный диктант": Lesson.Kind.DICTATION,
    "зачет": Lesson.Kind.CREDIT,
}


def parse_kind(raw: str) -> str | None:
    text = " ".join((raw or "").lower().replace("ё", "е").split())
    if not text:
        return Lesson.Kind.LESSON
    for value, label in Lesson.Kind.choices:
        if text in (value, str(label).lower().replace("ё", "е")):
            return value
    return KIND_ALIASES.get(text)


def kind_names() -> str:
    return ", ".join(str(label) for _value, label in Lesson.Kind.choices)


def courses_taught_by(user, school):
    """A teacher's courses, found through their object permission (one query to list)."""
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(
        user, "schedule.teach_course", Course.objects.all(), accept_global_perms=False
    )


# --- Import from CSV or XLSX ----------------------------------------------------------------------

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 1000


@dataclass
class ParsedPlan:
    rows: list = field(default_factory=list)  # [{"line", "title", "hours", "kind"}]
    errors: list = field(default_factory=list)  # [(line or None, message)]
    problems: dict = field(default_factory=dict)  # line -> [message]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def add_error(self, line, message):
        self.errors.append((line, message))
        if line is not None:
            self.problems.setdefault(line, []).append(message)


def read_table(uploaded) -> list[list[str]]:
    """The cells of the first sheet of an XLSX file, or of a CSV file, as strings."""
    name = (uploaded.name or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(uploaded, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(
                _("Файл XLSX не читается: он повреждён или это не XLSX.")
            ) from exc
        sheet = book.worksheets[0]
        table = [
            ["" if v is None else _cell_text(v) for v in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 1)
        ]
        book.close()
        return table
    if name.endswith(".csv") or name.endswith(".txt"):
        import csv

        raw = uploaded.read()
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(
                _("Не удалось прочитать кодировку файла (нужна UTF-8 или Windows-1251).")
            )
        sample = text[:4096]
        delimiter = max(";,\t", key=sample.count) if sample else ";"
        return list(csv.reader(text.splitlines(), delimiter=delimiter))
    raise ValidationError(_("Загрузите файл CSV или XLSX."))


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


HEADER_WORDS = {"title": ("тема", "содержание"), "hours": ("час",), "kind": ("тип", "вид", "форма")}


def _columns(first_row: list[str]) -> tuple[dict, bool]:
    """Which column holds what, and whether the first row is a header."""
    lowered = [c.strip().lower() for c in first_row]
    if any(any(w in c for w in HEADER_WORDS["title"]) for c in lowered):
        columns = {}
        for key, words in HEADER_WORDS.items():
            for i, cell in enumerate(lowered):
                if (
                    key not in columns
                    and any(w in cell for w in words)
                    and i not in columns.values()
                ):
                    columns[key] = i
        return columns, True
    # No header: «тема; часы; тип», or «№; тема; часы; тип» when the first cell is a number.
    shift = (
        1 if first_row and first_row[0].strip().rstrip(".").isdigit() and len(first_row) > 1 else 0
    )
    return {"title": shift, "hours": shift + 1, "kind": shift + 2}, False


def parse_plan_table(table: list[list[str]]) -> ParsedPlan:
    parsed = ParsedPlan()
    table = list(table)
    if not any(any(c.strip() for c in row) for row in table):
        parsed.add_error(None, _("В файле нет строк с темами."))
        return parsed
    columns, has_header = _columns(table[0])
    if "title" not in columns:
        parsed.add_error(None, _("В заголовке нет столбца «Тема»."))
        return parsed
    body = table[1:] if has_header else table
    start_line = 2 if has_header else 1
    if len(body) > MAX_IMPORT_ROWS:
        parsed.add_error(None, _("В файле больше %(n)s строк.") % {"n": MAX_IMPORT_ROWS})
        return parsed

    def cell(row, key):
        i = columns.get(key)
        return row[i].strip() if i is not None and i < len(row) and row[i] else ""

    for line, row in enumerate(body, start=start_line):
        if not any((c or "").strip() for c in row):
            continue
        title, hours_raw, kind_raw = cell(row, "title"), cell(row, "hours"), cell(row, "kind")
        problems = []
        if not title:
            problems.append(_("Строка %(line)s: не указана тема.") % {"line": line})
        elif len(title) > 500:
            problems.append(_("Строка %(line)s: тема длиннее 500 знаков.") % {"line": line})
        hours = 1
        if hours_raw:
            text = hours_raw.replace(",", ".")
            try:
                value = float(text)
            except ValueError:
                value = None
            if value is None or not value.is_integer() or not 1 <= value <= MAX_TOPIC_HOURS:
                problems.append(
                    _("Строка %(line)s: часы — целое число от 1 до %(max)s, а не «%(value)s».")
                    % {"line": line, "max": MAX_TOPIC_HOURS, "value": hours_raw}
                )
            else:
                hours = int(value)
        kind = parse_kind(kind_raw)
        if kind is None:
            problems.append(
                _("Строка %(line)s: неизвестный тип урока «%(value)s»; допустимы: %(kinds)s.")
                % {"line": line, "value": kind_raw, "kinds": kind_names()}
            )
        for message in problems:
            parsed.add_error(line, message)
        parsed.rows.append(
            {"line": line, "title": title, "hours": hours, "kind": kind or "", "ok": not problems}
        )
    if not parsed.rows and not parsed.errors:
        parsed.add_error(None, _("В файле нет строк с темами."))
    return parsed


def parse_plan_file(uploaded) -> ParsedPlan:
    if uploaded.size > MAX_IMPORT_BYTES:
        parsed = ParsedPlan()
        parsed.add_error(None, _("Файл больше 2 МБ: для КТП это слишком много."))
        return parsed
    try:
        table = read_table(uploaded)
    except ValidationError as exc:
        parsed = ParsedPlan()
        for message in exc.messages:
            parsed.add_error(None, message)
        return parsed
    return parse_plan_table(table)


# --- What makes a lesson «filled» (the timetable then keeps it) ----------------------------------


def lesson_has_plan_record():
    return Exists(
        LessonRecord.objects.with_scopes_disabled()
        .filter(lesson=OuterRef("pk"))
        .exclude(plan_topic__isnull=True, note="")
    )


def lesson_has_homework():
    from ..models import Homework

    return Exists(Homework.objects.with_scopes_disabled().filter(lesson=OuterRef("pk")))


def register_plan_fillers() -> None:
    from schedule.models import register_lesson_filler

    register_lesson_filler(lesson_has_plan_record)
    register_lesson_filler(lesson_has_homework)
