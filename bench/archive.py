"""The archive's figures: one class's year journal (30 pupils, 15 courses, about 170 lessons
each, marks, absences, topics, homework, final marks) rendered to PDF/A twice in the same run
— the archive's layout (archive.services.journal_pdf: sheets planned line by line, written by
lib.text_pdf) and a naive <table> with a <td> per cell of the same data, laid out by WeasyPrint
— and a school's archive of 40 classes built by two processes (this machine's two cores).

archive_school_s: forty class builds (journal, progress ledger, attendance ledger: gathered
from PostgreSQL, rendered, hashed, filed) run by a pool of two processes. The forty builds are
of the generated class (the same data each time, filed as forty new versions): generating
forty distinct classes' years (three million cells) would take the benchmark longer than
archiving them; a class's cost depends on its size, not on which class it is.
"""

import io
import multiprocessing
import random
import resource
import time
from datetime import date, timedelta
from html import escape

from django.db import connections
from django_scopes import scopes_disabled
from pypdf import PdfReader

from accounts.models import Pupil, Role, School
from accounts.services import grant_role
from archive.services.generate import Habits, YearRows
from lib.pdf import PDF_A, render_document
from schedule.models import (
    Course,
    CourseTeacher,
    Enrolment,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
    Subject,
)

from .data import analyze, make_user

PUPILS, COURSES, LESSONS, SCHOOL_CLASSES, PROCESSES = 30, 15, 170, 40, 2
HABITS = Habits(absent=0.04, marked=0.32, marks="55544443332", finals="5443")
SUBJECTS = [
    "Русский язык", "Литература", "Английский язык", "Математика", "Алгебра", "Геометрия",
    "Информатика", "История", "Обществознание", "География", "Биология", "Физика", "Химия",
    "Музыка", "Физическая культура",
]  # fmt: skip
QUARTERS = [
    (date(2025, 9, 1), date(2025, 10, 24)),
    (date(2025, 11, 5), date(2025, 12, 26)),
    (date(2026, 1, 12), date(2026, 3, 20)),
    (date(2026, 3, 30), date(2026, 5, 26)),
]


def school_days():
    days = []
    for start, end in QUARTERS:
        day = start
        while day <= end:
            if day.isoweekday() <= 5:
                days.append(day)
            day += timedelta(days=1)
    return days


def generate(seed=2026):
    """The class and its year (bulk inserts: a few seconds)."""
    rng = random.Random(seed)
    school = School.objects.create(name="Школа архива", short_name="Архив", slug="bench-archive")
    year = SchoolYear.objects.create(
        school=school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    periods = [
        StudyPeriod.objects.create(
            school=school, year=year, kind="quarter", number=n, start=s, end=e
        )
        for n, (s, e) in enumerate(QUARTERS, 1)
    ]
    teacher = make_user("bench_archive_teacher", "Учителева", "Анна")
    grant_role(school, teacher, Role.TEACHER)
    school_class = SchoolClass.objects.create(
        school=school, year=year, grade=7, letter="А", class_teacher=teacher
    )
    people = Pupil.objects.bulk_create(
        Pupil(school=school, last_name=f"Ученикова{i:02d}", first_name="Мария", patronymic="Ив.")
        for i in range(PUPILS)
    )
    Enrolment.objects.bulk_create(
        Enrolment(school=school, pupil=p, school_class=school_class, start=year.start)
        for p in people
    )
    days = school_days()
    rows = YearRows(school, teacher, rng, HABITS)
    for c, name in enumerate(SUBJECTS[:COURSES]):
        subject = Subject.objects.create(school=school, name=name, short_name=name[:4] + ".")
        course = Course.objects.create(
            school=school, year=year, school_class=school_class, subject=subject,
            hours_per_year=LESSONS,
        )  # fmt: skip
        CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
        chosen = sorted(rng.sample(range(len(days)), min(LESSONS, len(days))))
        rows.add_course(
            course, [days[i] for i in chosen], people, periods, number=1 + c % 7,
            topic=lambda n, _day, name=name: f"Тема {n + 1}: {name.lower()}, повторение и "
            "закрепление материала",
            homework=lambda _n, _day: "Параграф 12, упражнения 3–5, выучить правило",
        )  # fmt: skip
    rows.save()
    year.closed_at = school.now()
    year.save()
    return school_class


# --- The naive layout: a <table>, a <td> per cell, of the same data ----------------------


def naive_html(journal) -> str:
    from archive.services.journal_pdf import COLUMNS_PER_SHEET

    parts = [f"<h1>{escape(journal.school)} — {escape(journal.school_class)}</h1>"]
    for course in journal.courses:
        for i in range(0, max(1, len(course.lessons)), COLUMNS_PER_SHEET):
            chunk = course.lessons[i : i + COLUMNS_PER_SHEET]
            head = "".join(f"<th>{x.date:%d.%m}</th>" for x in chunk)
            rows = "".join(
                f"<tr><td>{n}</td><td>{escape(journal.pupil(pk).short_name)}</td>"
                + "".join(f"<td>{escape(course.cells.get((pk, x.pk), ''))}</td>" for x in chunk)
                + "</tr>"
                for n, pk in enumerate(course.pupils, 1)
            )
            parts.append(
                f'<h2 class="s">{escape(course.subject)}</h2><table><tr><th>№</th><th></th>'
                f"{head}</tr>{rows}</table>"
            )
            facing = "".join(
                f"<tr><td>{x.date:%d.%m}</td><td>{i + n}</td><td>{escape(x.topic)}</td>"
                f"<td>{escape(x.homework)}</td></tr>"
                for n, x in enumerate(chunk, 1)
            )
            parts.append(f'<h2 class="s">{escape(course.subject)}</h2><table>{facing}</table>')
        head = "".join(f"<th>{escape(h)}</th>" for _k, h in course.final_columns)
        rows = "".join(
            f"<tr><td>{escape(journal.pupil(pk).full_name)}</td>"
            + "".join(
                f"<td>{escape(course.finals.get((pk, k), ''))}</td>"
                for k, _h in course.final_columns
            )
            + "</tr>"
            for pk in course.pupils
        )
        parts.append(
            f'<h2 class="s">{escape(course.subject)}</h2>'
            f"<table><tr><th></th>{head}</tr>{rows}</table>"
        )
    return (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>'
        "@page { size: A4 landscape; margin: 9mm; } body { font: 7pt 'DejaVu Sans'; }"
        ".s { break-before: page; font-size: 9pt; } table { border-collapse: collapse; }"
        "td, th { border: 0.3pt solid #999; padding: 0 1pt; }"
        f"</style></head><body>{''.join(parts)}</body></html>"
    )


WARM_UP = '<!doctype html><html><body><p style="font-family: DejaVu Sans Mono">Журнал</p>'


def _naive_pdf(html: str) -> bytes:
    return render_document(html).write_pdf(pdf_variant=PDF_A)


def _naive_warm_up():
    render_document(WARM_UP).write_pdf(pdf_variant=PDF_A)  # the fonts found and loaded


def _archive_pdf(journal) -> bytes:
    from archive.services.journal_pdf import journal_pdf

    return journal_pdf(journal)


def _archive_warm_up():
    from lib.text_pdf import FAMILIES, font_file

    for pattern in FAMILIES.values():
        font_file(pattern)  # found through fontconfig once per process


def _render(warm_up, make, argument):
    """(seconds, CPU seconds, pages, this process's peak RSS in MB) of `make(argument)`, a
    PDF/A, after `warm_up()` untimed (as in a worker that has run once)."""
    warm_up()
    start, cpu = time.perf_counter(), time.process_time()
    data = make(argument)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, cpu, len(PdfReader(io.BytesIO(data)).pages), rss


def _in_child(*arguments):
    """Render in a fresh process (the worker's memory, not the benchmark's)."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_render, arguments)


def _build_class(class_id: int) -> float:
    from archive.services.documents import archive_class

    connections.close_all()  # a forked process opens its own
    start = time.perf_counter()
    with scopes_disabled():
        school_class = SchoolClass.objects.select_related("school", "year", "class_teacher").get(
            pk=class_id
        )
        archive_class(school_class)
    connections.close_all()
    return time.perf_counter() - start


def archive_figures(options):
    from archive.services.journal_data import gather

    with scopes_disabled():
        school_class = generate()
        analyze()
        school_class = SchoolClass.objects.select_related("school", "year", "class_teacher").get(
            pk=school_class.pk
        )
        journal = gather(school_class)
    cells = sum(len(c.pupils) * len(c.lessons) for c in journal.courses)
    yield "archive_class_cells", cells, "cells"
    fast, fast_cpu, pages, rss = _in_child(_archive_warm_up, _archive_pdf, journal)
    naive, naive_cpu, _pages, _rss = _in_child(_naive_warm_up, _naive_pdf, naive_html(journal))
    yield "archive_class_pages", pages, "pages"
    yield "archive_class_pdf_s", round(fast, 2), "s"
    yield "archive_class_pdf_cpu_s", round(fast_cpu, 2), "s"
    yield "archive_naive_table_pdf_s", round(naive, 2), "s"
    yield "archive_naive_table_pdf_cpu_s", round(naive_cpu, 2), "s"
    # The ratio of the two renderings' CPU time: on a machine shared with other work, wall
    # time depends on what else runs during each of them (one takes seconds, the other a
    # minute); the CPU each one spends does not.
    yield "archive_vs_naive_ratio", round(naive_cpu / fast_cpu, 1), "x"
    yield "archive_pages_per_s", round(pages / fast, 1), "pages/s"
    yield "archive_peak_rss_mb", round(rss, 1), "MB"
    connections.close_all()
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(PROCESSES) as pool:
        pool.map(_build_class, [school_class.pk] * SCHOOL_CLASSES, chunksize=1)
    yield "archive_school_s", round(time.perf_counter() - start, 1), "s"
