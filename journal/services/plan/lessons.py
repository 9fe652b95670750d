"""A lesson's topic from the plan: the next topic by default, and filling topics in bulk."""

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.regulation import RecordKind
from grading.policy import Rights, lesson_verdict
from grading.services.corrections import register_kind, request_correction
from grading.services.entry import Outcome, check
from grading.services.entry import moment as moment_on
from schedule.models import Lesson
from schedule.versions import courses_changed

from ...models import LessonRecord, PlanTopic

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


def topic_token(kind: str, topic: str) -> str:
    """A lesson's type and topic as a correction request keeps them: «test|Дроби»."""
    return f"{kind}|{topic}"


@transaction.atomic
def save_lesson_topic(
    lesson, *, plan_topic, topic: str, kind: str, note: str, user, reason: str = ""
) -> Outcome:
    """Set a lesson's topic, type and the teacher's note; history records who did it.

    Topics lock by the school's regulation like marks: after the window a change of the
    topic or type needs `reason` and becomes a correction request (the note stays the
    teacher's own and is written at once).
    """
    if plan_topic is not None and plan_topic.course_id != lesson.course_id:
        raise ValidationError(_("Эта тема из КТП другого курса."))
    topic = (topic or "").strip() or (plan_topic.title if plan_topic else "")
    if kind not in Lesson.Kind.values:
        raise ValidationError(_("Неизвестный тип урока."))
    outcome = Outcome(Outcome.UNCHANGED, lesson)
    if (lesson.topic, lesson.kind) != (topic, kind):
        verdict = lesson_verdict(user, lesson, RecordKind.TOPIC)
        check(verdict, reason)
        if verdict.needs_correction:
            correction = request_correction(
                lesson,
                None,
                kind="topic",
                old_value=topic_token(lesson.kind, lesson.topic),
                new_value=topic_token(kind, topic),
                reason=reason,
                by=user,
            )
            outcome = Outcome(Outcome.REQUESTED, lesson, correction)
            plan_topic = getattr(record_of(lesson), "plan_topic", None)
        else:
            write_topic(lesson, kind, topic, by=user)
            outcome = Outcome(Outcome.SAVED, lesson)
    record = record_of(lesson)
    new_topic_id = plan_topic.pk if plan_topic else None
    if record.pk is None or (record.plan_topic_id, record.note) != (new_topic_id, note):
        record.plan_topic_id, record.note = new_topic_id, note
        record._history_user = user
        record.save()
        lesson.record = record
    return outcome


def write_topic(lesson, kind: str, topic: str, *, by, change_reason: str = "") -> None:
    """Write a lesson's type and topic with their history. No checks here: callers decide."""
    lesson.topic, lesson.kind = topic, kind
    lesson._history_user = by
    if change_reason:
        lesson._change_reason = change_reason[:100]
    lesson.save(update_fields=["topic", "kind"])


def moment_of(lesson):
    return moment_on(lesson, lesson.date)


# --- Corrections of a locked topic (registered with grading's corrections) ----------------------


def _current_topic(correction) -> str:
    lesson = correction.lesson
    return topic_token(lesson.kind, lesson.topic)


def _apply_topic(correction, by, change_reason: str) -> None:
    kind, _sep, topic = correction.new_value.partition("|")
    write_topic(correction.lesson, kind, topic, by=by, change_reason=change_reason)


def register_topic_corrections() -> None:
    register_kind("topic", _current_topic, _apply_topic)


@transaction.atomic
def fill_topics_from_plan(course, *, until: date, user, on_the_day: bool = False) -> int:
    """Give every held lesson without a topic, up to `until`, its default plan topic.

    The walk goes through the course's lessons in order, so each lesson takes what it would
    take on its own page. A lesson whose topic is locked is left to a correction, unless
    `on_the_day`: each topic is then written as it would have been on its lesson's day (the
    demo's history of a teacher who kept the journal on time). Returns the lessons filled.
    """
    topics = list(PlanTopic.objects.filter(course=course).order_by("position", "pk"))
    if not topics:
        return 0
    lessons = list(
        Lesson.objects.filter(course=course, status=Lesson.Status.PLANNED)
        .select_related("record")
        .order_by("date", "number")
    )
    now = course.school.now()
    rights = Rights(keeps=True, leads=False)  # the plan's page is the course teacher's
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
        lesson.course, lesson.school = course, course.school
        moment = moment_of(lesson) if on_the_day else now
        if not lesson_verdict(user, lesson, RecordKind.TOPIC, rights=rights, now=moment).may_write:
            continue  # a locked lesson's topic is a correction, one lesson at a time
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
        courses_changed([course.pk], school_id=course.school_id)  # bulk: no signals
    if new_records:
        bulk_create_with_history(new_records, LessonRecord, default_user=user, batch_size=500)
    if changed_records:
        bulk_update_with_history(
            changed_records, LessonRecord, ["plan_topic"], default_user=user, batch_size=500
        )
    return len(changed_lessons)
