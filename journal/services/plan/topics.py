"""The plan's topics: the deadline, editing, hours against the curriculum, lesson types in files."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from lib.forms import no_control_characters
from schedule.models import Lesson
from schedule.versions import courses_changed

from ...models import LessonRecord, PlanTopic

MAX_TOPIC_HOURS = 99


def local_date(moment, school) -> date | None:
    """The school's day a moment fell on."""
    return moment.astimezone(school.zone).date() if moment is not None else None


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
    if not isinstance(title, str) or not title.strip():
        raise ValidationError(_("Укажите тему."))
    longest = PlanTopic._meta.get_field("title").max_length
    if len(title.strip()) > longest:
        raise ValidationError(_("Тема длиннее %(n)s знаков.") % {"n": longest})
    no_control_characters(title)
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_TOPIC_HOURS:
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
    # A bulk write sends no signal: the pages kept per version of the course (plan against
    # fact) are told here.
    courses_changed([course.pk], school_id=course.school_id)
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
