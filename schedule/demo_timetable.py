"""Demo timetable: a clash-free week for every demo class, the year's lessons, one substitution.

Called at the end of schedule/demo.py's `build`, when the courses exist. Deterministic: the
courses are placed in a fixed order, greedily, into the first slot where the class, every
teacher and a room are free; English subgroups of a class run side by side.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from .models import Course, Lesson, Room, SchoolYear, TimetableEntry
from .services.lessons import assign_substitute, materialise
from .services.people import teachers_of

WEEKDAYS = (1, 2, 3, 4, 5)
SATURDAY = 6
NUMBERS = range(1, 8)
GROUP_ROOMS = 6  # rooms for subgroups («201» …); a large school has one per three classes
GYM = "Спортзал"  # one per eight classes: «Спортзал», «Спортзал 2» …
CLASSES_PER_GYM = 8
GYM_SUBJECTS = {"Физическая культура"}


def weekly_hours(course) -> int:
    weekly = getattr(course, "hours_per_week", None)
    if not weekly:
        weekly = Decimal(course.hours_per_year or 0) / 34
    return max(1, int(Decimal(weekly).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


class Planner:
    """Busy slots of classes, teachers and rooms; places a unit (courses run together)."""

    def __init__(self, rooms, home, group_rooms, gyms):
        self.rooms, self.home, self.group_rooms, self.gyms = rooms, home, group_rooms, gyms
        self.busy = set()  # ("class"/"teacher"/"room", id, weekday, number)
        self.placed = []  # (course, weekday, number, room)
        self.skipped = 0

    def rooms_for(self, courses, weekday, number):
        """A free room for each course of the unit, or None."""
        chosen, taken = [], set()
        for course in courses:
            if course.subject.name in GYM_SUBJECTS:
                options = self.gyms
            elif course.subgroup_id:
                options = self.group_rooms
            else:
                options = [self.home[course.school_class_id]]
            room = next(
                (
                    r
                    for r in options
                    if r.pk not in taken and ("room", r.pk, weekday, number) not in self.busy
                ),
                None,
            )
            if room is None:
                return None
            taken.add(room.pk)
            chosen.append(room)
        return chosen

    def free(self, courses, weekday, number):
        class_id = courses[0].school_class_id
        if ("class", class_id, weekday, number) in self.busy:
            return None
        teachers = [ct.teacher_id for c in courses for ct in c.course_teachers.all()]
        if len(teachers) != len(set(teachers)):
            return None
        if any(("teacher", t, weekday, number) in self.busy for t in teachers):
            return None
        return self.rooms_for(courses, weekday, number)

    def place(self, courses, hours):
        used_days = set()
        for _hour in range(hours):
            slot = self.find(courses, used_days)
            if slot is None:
                self.skipped += 1
                continue
            weekday, number, rooms = slot
            used_days.add(weekday)
            self.busy.add(("class", courses[0].school_class_id, weekday, number))
            for course, room in zip(courses, rooms, strict=True):
                self.busy.add(("room", room.pk, weekday, number))
                for ct in course.course_teachers.all():
                    self.busy.add(("teacher", ct.teacher_id, weekday, number))
                self.placed.append((course, weekday, number, room))

    def find(self, courses, used_days):
        # Compact days first (low lesson numbers), a subject at most once a day if possible,
        # Saturday only when the week is full.
        for days in (
            [d for d in WEEKDAYS if d not in used_days],
            list(WEEKDAYS),
            [SATURDAY],
        ):
            for number in NUMBERS:
                for weekday in days:
                    rooms = self.free(courses, weekday, number)
                    if rooms is not None:
                        return weekday, number, rooms
        return None


def units_of(courses):
    """Whole-class courses alone; subgroups of one class and subject together."""
    units = []
    groups = defaultdict(list)
    for course in courses:
        if course.subgroup_id:
            groups[(course.school_class_id, course.subject_id)].append(course)
        else:
            units.append([course])
    for siblings in groups.values():
        teachers = [ct.teacher_id for c in siblings for ct in c.course_teachers.all()]
        if len(teachers) == len(set(teachers)):
            units.append(siblings)
        else:  # one teacher for both groups: they cannot run at once
            units.extend([c] for c in siblings)
    # Heavier subjects first, then by class and subject: a stable, deterministic order.
    units.sort(
        key=lambda u: (
            -weekly_hours(u[0]),
            u[0].school_class.grade,
            u[0].school_class.letter,
            u[0].subject.name,
        )
    )
    return units


def make_rooms(school, classes):
    ordered = sorted(classes, key=lambda c: (c.grade, c.letter))
    groups = max(GROUP_ROOMS, len(ordered) // 3)
    gyms = [GYM] + [f"{GYM} {n}" for n in range(2, -(-len(ordered) // CLASSES_PER_GYM) + 1)]
    rooms = [Room(school=school, name=str(100 + index)) for index in range(1, len(ordered) + 1)]
    rooms += [Room(school=school, name=str(200 + i)) for i in range(1, groups + 1)]
    rooms += [Room(school=school, name=name) for name in gyms]
    existing = {r.name: r for r in Room.objects.filter(school=school)}
    Room.objects.bulk_create([r for r in rooms if r.name not in existing])
    by_name = {**existing, **{r.name: r for r in Room.objects.filter(school=school)}}
    home = {}
    for index, school_class in enumerate(ordered, 1):
        home[school_class.pk] = by_name[str(100 + index)]
    group_rooms = [by_name[str(200 + i)] for i in range(1, groups + 1)]
    return by_name, home, group_rooms, [by_name[name] for name in gyms]


def build_timetable(school, year) -> int:
    courses = list(
        Course.objects.filter(school=school, year=year)
        .select_related("school_class", "subject", "subgroup")
        .prefetch_related("course_teachers")
        .order_by("school_class__grade", "school_class__letter", "subject__name", "pk")
    )
    if not courses:
        return 0
    classes = {c.school_class_id: c.school_class for c in courses}.values()
    planner = Planner(*make_rooms(school, classes))
    for unit in units_of(courses):
        planner.place(unit, weekly_hours(unit[0]))
    TimetableEntry.objects.bulk_create(
        TimetableEntry(
            school=school,
            course=course,
            weekday=weekday,
            number=number,
            room=room,
            valid_from=year.start,
            valid_to=year.end,
        )
        for course, weekday, number, room in planner.placed
    )
    return len(planner.placed)


def substitute_once(school, year, teacher, today):
    """Give one lesson of `teacher` (from today on) to a free colleague."""
    lessons = (
        Lesson.objects.filter(course__year=year, date__gte=today, status=Lesson.Status.PLANNED)
        .filter(course__course_teachers__teacher=teacher)
        .order_by("date", "number")
    )
    lesson = lessons.first() or (
        Lesson.objects.filter(course__year=year, course__course_teachers__teacher=teacher)
        .order_by("-date", "number")
        .first()
    )
    if lesson is None:
        return None
    for colleague in teachers_of(school).exclude(pk=teacher.pk):
        try:
            return assign_substitute(lesson, colleague)
        except ValidationError:
            continue
    return None


def build(ctx) -> None:
    for school in ctx.schools:
        year = (
            SchoolYear.objects.filter(school=school).on(ctx.today).first()
            or SchoolYear.objects.filter(school=school).order_by("-start").first()
        )
        if year is None:
            continue
        if build_timetable(school, year):
            materialise(year, since=year.start)
    first = ctx.schools[0]
    teacher = ctx.named.get("teacher")
    year = SchoolYear.objects.filter(school=first).on(ctx.today).first()
    if teacher is not None and year is not None:
        substitute_once(first, year, teacher, max(ctx.today, year.start))
