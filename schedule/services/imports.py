"""Loading classes and pupils from CSV and XLSX: parse once, check every row, save on request.

The flow: `read_table` turns an upload into rows of strings (a file-level problem — not a
table, no header, a required column missing — is a ValidationError); the rows wait in an
ImportBatch; `check_batch` says, row by row and in Russian, what is wrong; `save_batch`
saves all rows only when none is wrong, or the good ones when the user asks for that.
Rows are checked again at saving: the school may have changed in between.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Pupil
from lib.dates import read_day
from lib.tables import Column, Limits, read_cells, read_rows

from ..models import BellSchedule, Enrolment, ImportBatch, SchoolClass
from . import people
from .year import fmt

# A school's pupils fit; a file of a whole municipality does not, and is split.
LIMITS = Limits(max_bytes=5 * 1024 * 1024, max_rows=5001, max_cell_chars=300)
KEEP_BATCHES = timedelta(days=1)


COLUMNS = {
    ImportBatch.Kind.CLASSES: [
        Column("class", gettext_lazy("Класс"), ("класс", "группа", "название"), True),
        Column("grade", gettext_lazy("Параллель"), ("параллель", "курс", "год обучения")),
        Column(
            "class_teacher",
            gettext_lazy("Классный руководитель"),
            (
                "классный руководитель",
                "кл. руководитель",
                "куратор",
                "классный руководитель (логин)",
            ),
        ),
        Column("bells", gettext_lazy("Смена"), ("смена", "звонки", "расписание звонков")),
        Column("no_marks", gettext_lazy("Без отметок"), ("без отметок", "безотметочное")),
    ],
    ImportBatch.Kind.PUPILS: [
        Column("full_name", gettext_lazy("ФИО"), ("фио", "фамилия имя отчество")),
        Column("last_name", gettext_lazy("Фамилия"), ("фамилия",)),
        Column("first_name", gettext_lazy("Имя"), ("имя",)),
        Column("patronymic", gettext_lazy("Отчество"), ("отчество",)),
        Column("birth_date", gettext_lazy("Дата рождения"), ("дата рождения", "др")),
        Column("sex", gettext_lazy("Пол"), ("пол",)),
        Column("class", gettext_lazy("Класс"), ("класс", "группа"), True),
        Column("start", gettext_lazy("Дата зачисления"), ("дата зачисления", "зачислен", "с")),
        Column(
            "order_number",
            gettext_lazy("Номер приказа"),
            ("номер приказа", "приказ", "№ приказа", "приказ о зачислении"),
        ),
        Column("document", gettext_lazy("Документ"), ("документ", "свидетельство о рождении")),
        Column("address", gettext_lazy("Адрес"), ("адрес",)),
        Column("phone", gettext_lazy("Телефон"), ("телефон",)),
        Column(
            "email",
            gettext_lazy("Электронная почта"),
            ("электронная почта", "email", "e-mail", "почта"),
        ),
    ],
}

SAMPLES = {
    ImportBatch.Kind.CLASSES: [
        ["Класс", "Параллель", "Классный руководитель", "Смена", "Без отметок"],
        ["1А", "", "Иванова Мария Петровна", "1 смена", "да"],
        ["5Б", "", "petrova", "1 смена", ""],
    ],
    ImportBatch.Kind.PUPILS: [
        [
            "Фамилия",
            "Имя",
            "Отчество",
            "Дата рождения",
            "Пол",
            "Класс",
            "Дата зачисления",
            "Номер приказа",
        ],
        ["Смирнова", "Анна", "Сергеевна", "14.03.2015", "ж", "5Б", "01.09.2026", "112-о"],
    ],
}


def read_table(kind: str, filename: str, raw: bytes) -> list[dict]:
    """Rows of the file as [{"line": n, "values": {column key: text}}]."""

    def names_missing(present) -> list[str]:
        # A pupil is named by «ФИО» or by «Фамилия» and «Имя».
        if kind != ImportBatch.Kind.PUPILS or "full_name" in present:
            return []
        return [
            str(c.label)
            for c in COLUMNS[kind]
            if c.key in ("last_name", "first_name") and c.key not in present
        ]

    return read_rows(read_cells(filename, raw, LIMITS), COLUMNS[kind], names_missing).rows


def create_batch(*, school, user, kind, year, filename, raw) -> ImportBatch:
    ImportBatch.objects.filter(school=school, created_at__lt=timezone.now() - KEEP_BATCHES).delete()
    rows = read_table(kind, filename, raw)
    return ImportBatch.objects.create(
        school=school, kind=kind, year=year, filename=filename[:200], rows=rows, created_by=user
    )


# Checking rows.


CLASS_NAME = re.compile(r"^\s*(\d{1,2})\s*[-\s]?\s*([A-Za-zА-Яа-яЁё]{1,2})\s*$")


def split_class_name(text: str):
    """«5А», «5 а», «10-Б» → (5, "А"); anything else → None."""
    match = CLASS_NAME.match(text or "")
    if not match:
        return None
    return int(match.group(1)), match.group(2).upper()


def class_key(text: str) -> str:
    parsed = split_class_name(text)
    if parsed:
        return f"{parsed[0]}{parsed[1]}"
    return re.sub(r"\s+", "", (text or "").upper())


def person_key(last, first, middle, birth) -> tuple:
    norm = lambda s: (s or "").strip().lower().replace("ё", "е")  # noqa: E731
    return (norm(last), norm(first), norm(middle), birth)


SEXES = {
    "м": "m",
    "муж": "m",
    "мужской": "m",
    "m": "m",
    "ж": "f",
    "жен": "f",
    "женский": "f",
    "f": "f",
}
YES = {"да", "д", "yes", "1", "+", "истина", "true"}
NO = {"нет", "н", "no", "0", "-", "ложь", "false", ""}


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _pupil_names(values):
    last = values.get("last_name", "").strip()
    first = values.get("first_name", "").strip()
    middle = values.get("patronymic", "").strip()
    if not (last or first) and values.get("full_name"):
        parts = values["full_name"].split()
        last, first, middle = (parts + ["", "", ""])[:2] + [" ".join(parts[2:])]
    return last, first, middle


RECORD_TEXTS = ("document", "address", "phone")


def too_long(texts: dict) -> list[str]:
    """A row error for each text longer than its field holds (the pupil's record or the
    enrolment's order number): the row is refused whole, nothing is cut."""
    errors = []
    for key, text in texts.items():
        model = Enrolment if key == "order_number" else Pupil
        field = model._meta.get_field(key)
        if len(text) > field.max_length:
            errors.append(
                _("«%(field)s» длиннее %(n)s знаков.")
                % {"field": field.verbose_name, "n": field.max_length}
            )
    return errors


def check_pupils(batch) -> list[RowResult]:
    year = batch.year
    classes = {class_key(c.name): c for c in SchoolClass.objects.filter(year=year)}
    existing = {
        person_key(p.last_name, p.first_name, p.patronymic, p.birth_date): p
        for p in Pupil.objects.only("last_name", "first_name", "patronymic", "birth_date")
    }
    seen = {}
    results = []
    today = batch.school.today()
    for row in batch.rows:
        values = row["values"]
        result = RowResult(row["line"], values)
        errors = result.errors
        last, first, middle = _pupil_names(values)
        if not last:
            errors.append(_("Не указана фамилия."))
        if not first:
            errors.append(_("Не указано имя."))
        birth = None
        if values.get("birth_date"):
            birth = read_day(values["birth_date"])
            if birth is None:
                errors.append(
                    _("Неверная дата рождения «%(v)s»: нужна дата в виде ДД.ММ.ГГГГ.")
                    % {"v": values["birth_date"]}
                )
            elif birth >= today or birth.year < today.year - 30:
                errors.append(_("Дата рождения %(d)s не похожа на правду.") % {"d": fmt(birth)})
        sex = values.get("sex", "").strip().lower()
        if sex and sex not in SEXES:
            errors.append(_("Пол «%(v)s» не понят: пишите «м» или «ж».") % {"v": values["sex"]})
        school_class = None
        raw_class = values.get("class", "").strip()
        if not raw_class:
            errors.append(_("Не указан класс."))
        else:
            school_class = classes.get(class_key(raw_class))
            if school_class is None:
                errors.append(
                    _("Класса «%(c)s» нет в учебном году %(year)s.")
                    % {"c": raw_class, "year": year.name}
                )
        start = year.start
        if values.get("start"):
            start = read_day(values["start"])
            if start is None:
                errors.append(
                    _("Неверная дата зачисления «%(v)s»: нужна дата в виде ДД.ММ.ГГГГ.")
                    % {"v": values["start"]}
                )
            elif not year.start <= start <= year.end:
                errors.append(
                    _("Дата зачисления %(d)s вне учебного года %(year)s.")
                    % {"d": fmt(start), "year": year.name}
                )
        email = values.get("email", "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("Неверный адрес почты «%(v)s».") % {"v": email[:100]})
        texts = {
            "last_name": last,
            "first_name": first,
            "patronymic": middle,
            "email": email,
            **{k: values.get(k, "").strip() for k in ("order_number", *RECORD_TEXTS)},
        }
        errors.extend(too_long(texts))
        if last and first:
            key = person_key(last, first, middle, birth)
            if key in seen:
                errors.append(_("Повтор: тот же обучающийся в строке %(n)s.") % {"n": seen[key]})
            else:
                seen[key] = row["line"]
            if key in existing:
                errors.append(
                    _("%(name)s уже есть в списке обучающихся школы.")
                    % {"name": existing[key].full_name}
                )
        result.data = {
            "last_name": last,
            "first_name": first,
            "patronymic": middle,
            "birth_date": birth,
            "sex": SEXES.get(sex, ""),
            "school_class": school_class,
            "start": start,
            "order_number": texts["order_number"],
            **{k: texts[k] for k in RECORD_TEXTS},
            "email": email,
        }
        results.append(result)
    return results


def _find_teacher(text, teachers):
    text = " ".join((text or "").split())
    if not text:
        return None, None
    lowered = text.lower().replace("ё", "е")
    by_login = [t for t in teachers if t.username.lower() == lowered]
    if by_login:
        return by_login[0], None
    matches = [
        t
        for t in teachers
        if lowered
        in (
            t.full_name.lower().replace("ё", "е"),
            t.short_name.lower().replace("ё", "е"),
            f"{t.last_name} {t.first_name}".lower().replace("ё", "е"),
        )
    ]
    if len(matches) == 1:
        return matches[0], None
    if matches:
        return None, _("Несколько учителей с именем «%(v)s»: укажите логин.") % {"v": text}
    return None, _("Учителя «%(v)s» нет среди учителей школы.") % {"v": text}


def check_classes(batch) -> list[RowResult]:
    year = batch.year
    existing = {class_key(c.name) for c in SchoolClass.objects.filter(year=year)}
    teachers = list(people.teachers_of(batch.school))
    bells = {b.name.strip().lower(): b for b in BellSchedule.objects.all()}
    seen = {}
    results = []
    for row in batch.rows:
        values = row["values"]
        result = RowResult(row["line"], values)
        errors = result.errors
        raw = values.get("class", "").strip()
        grade, letter = None, None
        if not raw:
            errors.append(_("Не указан класс."))
        elif split_class_name(raw):
            grade, letter = split_class_name(raw)
        elif values.get("grade", "").strip().isdigit():
            grade, letter = int(values["grade"]), raw
        else:
            errors.append(
                _(
                    "Не понятно, какой это класс: «%(v)s». Пишите «5А»; для группы колледжа "
                    "укажите курс в столбце «Параллель»."
                )
                % {"v": raw}
            )
        if values.get("grade", "").strip() and grade is not None:
            given = values["grade"].strip()
            if not given.isdigit() or int(given) != grade:
                errors.append(
                    _("Параллель «%(g)s» не совпадает с классом «%(c)s».") % {"g": given, "c": raw}
                )
        if grade is not None and not 1 <= grade <= 12:
            errors.append(_("Параллель — число от 1 до 12."))
        if grade is not None and len(letter) > 20:
            errors.append(_("Название группы длиннее 20 знаков."))
        teacher, problem = _find_teacher(values.get("class_teacher"), teachers)
        if problem:
            errors.append(problem)
        schedule = None
        if values.get("bells", "").strip():
            schedule = bells.get(values["bells"].strip().lower())
            if schedule is None:
                errors.append(
                    _("Смены «%(v)s» нет в расписаниях звонков.") % {"v": values["bells"]}
                )
        flag = values.get("no_marks", "").strip().lower()
        no_marks = None
        if flag in YES:
            no_marks = True
        elif flag and flag in NO:
            no_marks = False
        elif flag:
            errors.append(_("В столбце «Без отметок» пишите «да» или «нет»."))
        if grade is not None:
            key = class_key(f"{grade}{letter}") if len(letter) <= 2 else class_key(letter)
            if key in seen:
                errors.append(_("Повтор: этот класс уже в строке %(n)s.") % {"n": seen[key]})
            else:
                seen[key] = row["line"]
            if key in existing:
                errors.append(
                    _("Класс %(c)s в учебном году %(year)s уже есть.")
                    % {"c": raw, "year": year.name}
                )
        result.data = {
            "grade": grade,
            "letter": letter,
            "class_teacher": teacher,
            "bell_schedule": schedule,
            "no_marks": no_marks,
        }
        results.append(result)
    return results


def check_batch(batch) -> list[RowResult]:
    if batch.kind == ImportBatch.Kind.CLASSES:
        return check_classes(batch)
    return check_pupils(batch)


def _save_row(batch, data):
    if batch.kind == ImportBatch.Kind.CLASSES:
        people.save_class(
            SchoolClass(
                school=batch.school,
                year=batch.year,
                grade=data["grade"],
                letter=data["letter"],
                class_teacher=data["class_teacher"],
                bell_schedule=data["bell_schedule"],
            ),
            no_marks=data["no_marks"],
        )
        return
    pupil = Pupil.objects.create(
        school=batch.school,
        **{k: data[k] for k in ("last_name", "first_name", "patronymic", "birth_date", "sex")},
        **{k: data[k] for k in ("document", "address", "phone", "email")},
    )
    people.enrol(pupil, data["school_class"], data["start"], order_number=data["order_number"])


class FileHasErrors(ValidationError):
    pass


@transaction.atomic
def save_batch(batch, *, only_valid: bool) -> tuple[int, list[RowResult]]:
    """Save the rows; returns (saved, rows with errors).

    With errors in the file and `only_valid` off, nothing is saved (FileHasErrors).
    """
    # Locked first: of two confirmations at once the second waits, then finds it saved.
    batch = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("school", "year")
        .get(pk=batch.pk)
    )
    if batch.saved_at:
        raise ValidationError(_("Этот файл уже сохранён."))
    results = check_batch(batch)
    bad = [r for r in results if r.errors]
    if bad and not only_valid:
        raise FileHasErrors(
            _(
                "В файле есть ошибки (строк: %(n)s). Ничего не сохранено: исправьте файл и "
                "загрузите снова или сохраните только верные строки."
            )
            % {"n": len(bad)}
        )
    saved = 0
    for result in results:
        if result.errors:
            continue
        try:
            # Each row in its own savepoint: a row the database refuses (checked above, but
            # the school may have changed since) is reported, and the others are kept.
            with transaction.atomic():
                _save_row(batch, result.data)
        except (ValidationError, DatabaseError) as error:
            problems = (
                error.messages
                if isinstance(error, ValidationError)
                else [_("база данных не приняла строку.")]
            )
            result.errors.extend(problems)
            bad.append(result)
            if not only_valid:
                raise FileHasErrors(
                    _("Строка %(n)s: %(e)s Ничего не сохранено.")
                    % {"n": result.line, "e": " ".join(problems)}
                ) from error
            continue
        saved += 1
    batch.saved_at = timezone.now()
    batch.saved_count = saved
    batch.save(update_fields=["saved_at", "saved_count"])
    return saved, bad


def sample_csv(kind) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows(SAMPLES[kind])
    # A BOM, so that Excel opens the Cyrillic correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
