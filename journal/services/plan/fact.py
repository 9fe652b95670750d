"""Plan versus fact: the plan's hours laid over the course's lessons in date order."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from schedule.models import Course, Lesson

from ...models import PlanTopic

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


def due_hours(plan_hours: int, before: int, within: int) -> int:
    """Plan hours that fall on `within` lessons coming after `before` lessons: the plan is
    laid over a course's lessons in date order, one hour a lesson (moved lessons aside).
    Up to today from the start: min(plan, lessons); the reports take any span this way."""
    return max(0, min(plan_hours, before + within) - min(plan_hours, before))


LESSON_FIELDS = ("date", "status", "record__plan_topic_id", "pk")


def _lessons(queryset):
    # A moved lesson is replaced by the lesson it moved to; a cancelled one was planned but
    # not held, so the plan falls behind by it.
    return queryset.exclude(status=Lesson.Status.MOVED).order_by("date", "number")


def plan_fact(course, today: date | None = None) -> PlanFact:
    """Planned, held, behind or ahead for one course (two queries, whatever its size)."""
    today = today or course.school.today()
    topics = list(PlanTopic.objects.filter(course=course).order_by("position", "pk"))
    lessons = list(_lessons(Lesson.objects.filter(course=course)).values_list(*LESSON_FIELDS))
    return lay_plan(course, today, topics, lessons)


def plan_facts(courses, today: date) -> dict:
    """`plan_fact` of many courses (course pk → PlanFact) in two queries, whatever their
    number: the year's checklist asks it of every course of the school."""
    courses = list(courses)
    ids = [c.pk for c in courses]
    topics: dict = {}
    for topic in PlanTopic.objects.filter(course_id__in=ids).order_by("position", "pk"):
        topics.setdefault(topic.course_id, []).append(topic)
    lessons: dict = {}
    for course_id, *row in _lessons(Lesson.objects.filter(course_id__in=ids)).values_list(
        "course_id", *LESSON_FIELDS
    ):
        lessons.setdefault(course_id, []).append(tuple(row))
    return {c.pk: lay_plan(c, today, topics.get(c.pk, []), lessons.get(c.pk, [])) for c in courses}


def lay_plan(course, today: date, topics: list, lessons: list) -> PlanFact:
    """The plan's `topics` laid over the course's `lessons` ((date, status, plan topic pk,
    pk) in date order, moved lessons aside) as of `today`."""
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
        planned=due_hours(plan_hours, 0, scheduled),
        held=held,
        covered=covered,
        without_topic=without_topic,
        lessons_total=len(lessons),
    )
