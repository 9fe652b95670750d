"""Import of the timetable from CSV and XLSX: read, check every row, save all or the good."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.dates import read_day
from lib.tables import Column, Limits, read_cells, read_rows

from ...models import (
    TimetableEntry,
)
from .clashes import Slot, bell_spans, clashes
from .entries import entry_problems
from .labels import Weeks, course_label, entries_with_details, with_teachers

IMPORT_COLUMNS = [
    Column("class", gettext_lazy("Класс"), ("класс", "группа"), True),
    Column("subject", gettext_lazy("Предмет"), ("предмет", "дисциплина"), True),
    Column("subgroup", gettext_lazy("Подгруппа"), ("подгруппа", "группа предмета")),
    Column("weekday", gettext_lazy("День"), ("день", "день недели"), True),
    Column("number", gettext_lazy("Урок"), ("урок", "номер урока", "№ урока", "№"), True),
    Column("room", gettext_lazy("Кабинет"), ("кабинет", "каб.", "аудитория")),
    Column("teacher", gettext_lazy("Учитель"), ("учитель", "преподаватель")),
    Column("weeks", gettext_lazy("Недели"), ("недели", "неделя", "чередование")),
    Column("valid_from", gettext_lazy("С"), ("с", "действует с", "начало")),
    Column("valid_to", gettext_lazy("По"), ("по", "действует по", "окончание")),
]
IMPORT_SAMPLE = [
    ["Класс", "Предмет", "Подгруппа", "День", "Урок", "Кабинет", "Учитель", "Недели"],
    ["5А", "Математика", "", "пн", "1", "12", "Иванова М. П.", ""],
    ["5А", "Английский язык", "Группа 1", "вт", "3", "21", "", "нечётные"],
]
LIMITS = Limits(max_bytes=5 * 1024 * 1024, max_rows=3001, max_columns=20, max_cell_chars=200)

WEEKDAY_WORDS = {
    "1": 1, "пн": 1, "пон": 1, "понедельник": 1,
    "2": 2, "вт": 2, "вто": 2, "вторник": 2,
    "3": 3, "ср": 3, "сре": 3, "среда": 3,
    "4": 4, "чт": 4, "чет": 4, "четверг": 4,
    "5": 5, "пт": 5, "пят": 5, "пятница": 5,
    "6": 6, "сб": 6, "суб": 6, "суббота": 6,
}  # fmt: skip
WEEKS_WORDS = {
    "": Weeks.EVERY, "каждую": Weeks.EVERY, "все": Weeks.EVERY, "каждая": Weeks.EVERY,
    "нечетные": Weeks.ODD, "нечетная": Weeks.ODD, "нечет": Weeks.ODD, "нечет.": Weeks.ODD,
    "четные": Weeks.EVEN, "четная": Weeks.EVEN, "чет": Weeks.EVEN, "чет.": Weeks.EVEN,
}  # fmt: skip


def norm(text) -> str:
    return " ".join(str(text or "").lower().replace("ё", "е").split())


def read_import(filename: str, raw: bytes) -> list[dict]:
    """Rows as [{"line": n, "values": {column key: text}}]; a file-level problem raises."""
    return read_rows(read_cells(filename, raw, LIMITS), IMPORT_COLUMNS).rows


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    entry: object = None  # an unsaved TimetableEntry when the row is good


class ImportContext:
    """Everything a check of the rows needs, loaded once: a fixed number of queries."""

    def __init__(self, school, year):
        from accounts.models import TEACHING_ROLES, Membership, Role, User

        from ...models import Course, Room, SchoolClass, Subject

        self.school, self.year = school, year
        self.classes = {}
        for school_class in SchoolClass.objects.filter(year=year):
            self.classes.setdefault(norm(school_class.name).replace(" ", ""), school_class)
        self.subjects = {}
        for subject in Subject.objects.all():
            self.subjects.setdefault(norm(subject.name), subject)
            self.subjects.setdefault(norm(subject.short_name), subject)
        self.courses = defaultdict(list)  # (class id, subject id) -> [course]
        courses = with_teachers(
            Course.objects.filter(year=year).select_related(
                "school_class", "subject", "subgroup", "year"
            ),
            prefix="",
        )
        for course in courses:
            self.courses[(course.school_class_id, course.subject_id)].append(course)
        self.rooms = {norm(room.name): room for room in Room.objects.all()}
        members = Membership.objects.active().filter(
            school=school, role__in=[*TEACHING_ROLES, Role.CLASS_TEACHER]
        )
        self.teachers = list(User.objects.filter(pk__in=members.values("user_id")))
        existing = entries_with_details(
            TimetableEntry.objects.filter(valid_from__lte=year.end, valid_to__gte=year.start)
        )
        existing = list(existing)
        self.bells = bell_spans(
            [c.bell_schedule_id for c in self.classes.values()]
            + [e.course.school_class.bell_schedule_id for e in existing]
        )
        self.existing = [(Slot.of(e, bells=self.bells), e.course.school_class_id) for e in existing]

    def find_teacher(self, text):
        wanted = norm(text)
        found = [
            t
            for t in self.teachers
            if wanted
            in (
                norm(t.username),
                norm(t.full_name),
                norm(t.short_name),
                norm(t.short_name).replace(". ", "."),
                norm(f"{t.last_name} {t.first_name}"),
            )
        ]
        if len(found) == 1:
            return found[0], None
        if found:
            return None, _("Несколько учителей «%(v)s»: укажите логин.") % {"v": text}
        return None, _("Неизвестный учитель «%(v)s».") % {"v": text}


def _row_entry(ctx: ImportContext, values: dict) -> tuple[object, list[str]]:
    errors = []
    class_text = values.get("class", "")
    school_class = ctx.classes.get(norm(class_text).replace(" ", "").replace("-", ""))
    if school_class is None:
        school_class = ctx.classes.get(norm(class_text).replace(" ", ""))
    if not class_text:
        errors.append(_("Не указан класс."))
    elif school_class is None:
        errors.append(
            _("Неизвестный класс «%(v)s» в учебном году %(year)s.")
            % {"v": class_text, "year": ctx.year.name}
        )
    subject_text = values.get("subject", "")
    subject = ctx.subjects.get(norm(subject_text))
    if not subject_text:
        errors.append(_("Не указан предмет."))
    elif subject is None:
        errors.append(_("Неизвестный предмет «%(v)s».") % {"v": subject_text})
    weekday = WEEKDAY_WORDS.get(norm(values.get("weekday", "")).rstrip("."))
    if weekday is None:
        errors.append(
            _(
                "Неверный день недели «%(v)s»: нужен день с понедельника по субботу "
                "(пн … сб или 1–6)."
            )
            % {"v": values.get("weekday", "")}
        )
    number_text = values.get("number", "").strip()
    number = int(number_text) if number_text.isdigit() else None
    if number is None or number > 12:
        errors.append(
            _("Неверный номер урока «%(v)s»: нужно число от 0 до 12.") % {"v": number_text}
        )
    room = None
    room_text = values.get("room", "")
    if room_text:
        room = ctx.rooms.get(norm(room_text))
        if room is None:
            errors.append(_("Неизвестный кабинет «%(v)s».") % {"v": room_text})
    teacher = None
    if values.get("teacher"):
        teacher, problem = ctx.find_teacher(values["teacher"])
        if problem:
            errors.append(problem)
    weeks = WEEKS_WORDS.get(norm(values.get("weeks", "")))
    if weeks is None:
        errors.append(
            _("Неверное значение «%(v)s» в столбце «Недели»: каждую, нечётные или чётные.")
            % {"v": values.get("weeks", "")}
        )
    valid = {}
    for key, default in (("valid_from", ctx.year.start), ("valid_to", ctx.year.end)):
        text = values.get(key, "")
        valid[key] = read_day(text) if text else default
        if valid[key] is None:
            errors.append(_("Неверная дата «%(v)s»: нужна дата ДД.ММ.ГГГГ.") % {"v": text})

    course = None
    if school_class is not None and subject is not None:
        candidates = ctx.courses.get((school_class.pk, subject.pk), [])
        subgroup_text = norm(values.get("subgroup", ""))
        if subgroup_text:
            candidates = [
                c for c in candidates if c.subgroup_id and norm(c.subgroup.name) == subgroup_text
            ]
        if teacher is not None and len(candidates) > 1:
            candidates = [
                c
                for c in candidates
                if any(ct.teacher_id == teacher.pk for ct in c.course_teachers.all())
            ]
        if not candidates:
            if subgroup_text:
                errors.append(
                    _("У класса %(cls)s нет курса «%(subject)s» для подгруппы «%(g)s».")
                    % {"cls": school_class.name, "subject": subject.name, "g": values["subgroup"]}
                )
            else:
                errors.append(
                    _("У класса %(cls)s нет курса «%(subject)s».")
                    % {"cls": school_class.name, "subject": subject.name}
                )
        elif len(candidates) > 1:
            errors.append(
                _("У класса %(cls)s несколько курсов «%(subject)s»: укажите подгруппу.")
                % {"cls": school_class.name, "subject": subject.name}
            )
        else:
            course = candidates[0]
            if teacher is not None and not any(
                ct.teacher_id == teacher.pk for ct in course.course_teachers.all()
            ):
                errors.append(
                    _("%(teacher)s не ведёт курс %(course)s.")
                    % {"teacher": teacher.short_name, "course": course_label(course)}
                )
    if errors:
        return None, errors
    entry = TimetableEntry(
        school_id=ctx.school.pk,
        course=course,
        weekday=weekday,
        number=number,
        room=room,
        valid_from=valid["valid_from"],
        valid_to=valid["valid_to"],
        weeks=weeks,
    )
    return entry, entry_problems(entry)


def check_import(school, year, rows, *, replace=False) -> list[ImportRow]:
    """Check each row in Russian: unknown names, bad values, and clashes — with the school's
    timetable and with the rows above it. With `replace`, the present entries of the classes
    named in the file do not count (they are about to go)."""
    ctx = ImportContext(school, year)
    results = []
    for row in rows:
        result = ImportRow(line=row["line"], values=row["values"])
        result.entry, result.errors = _row_entry(ctx, row["values"])
        results.append(result)
    replaced = {r.entry.course.school_class_id for r in results if r.entry} if replace else set()
    others = [slot for slot, class_id in ctx.existing if class_id not in replaced]
    for result in results:
        if result.errors:
            result.entry = None
            continue
        slot = Slot.of(result.entry, bells=ctx.bells)
        found = clashes(slot, others)
        if found:
            result.errors = [c.message for c in found]
            result.entry = None
        else:
            others.append(slot)
    return results


@dataclass
class ImportSaved:
    created: int
    removed: int
    refused: list = field(default_factory=list)  # lines the database did not take


class ImportHasErrors(ValidationError):
    pass


@transaction.atomic
def save_import(school, year, rows, *, replace=False, only_good=False) -> ImportSaved:
    """Check the rows again and save them: all, or — when asked — only the good ones."""
    from accounts.models import School

    list(School.objects.select_for_update().filter(pk=school.pk).values("pk"))
    results = check_import(school, year, rows, replace=replace)
    bad = [r for r in results if r.errors]
    if bad and not only_good:
        raise ImportHasErrors(
            _("В файле есть строки с ошибками (%(n)s): ничего не сохранено.") % {"n": len(bad)}
        )
    good = [r for r in results if r.entry is not None]
    removed = 0
    if replace and good:
        classes = {r.entry.course.school_class_id for r in good}
        removed, _detail = TimetableEntry.objects.filter(
            course__year=year, course__school_class_id__in=classes
        ).delete()
    try:
        with transaction.atomic():
            TimetableEntry.objects.bulk_create([r.entry for r in good])
        return ImportSaved(created=len(good), removed=removed)
    except DatabaseError:
        if not only_good:
            raise ImportHasErrors(
                _("База данных не приняла строки файла: ничего не сохранено.")
            ) from None
    # One row the database refuses (checked above, yet the school changed meanwhile) must
    # not cost the others: row by row, each in its own savepoint.
    created, refused = 0, []
    for row in good:
        row.entry.pk = None
        try:
            with transaction.atomic():
                row.entry.save()
            created += 1
        except DatabaseError:
            refused.append(row.line)
    return ImportSaved(created=created, removed=removed, refused=refused)


def sample_csv() -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(IMPORT_SAMPLE)
    return out.getvalue().encode("utf-8-sig")
