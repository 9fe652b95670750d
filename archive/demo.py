"""Demo: a closed previous year with its archive, so a newcomer can open a real archived
journal. The first school's 5А pupils were 4А last year: a year of three courses with
lessons, topics, homework, marks, absences and final marks; the year is closed and 4А's
archive (journal, ledgers, manifest) is built at seed time, directly — a second or two —
rather than through the task queue (the demo's «Собрать архив заново» uses the worker).
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from schedule.models import (
    Course,
    CourseTeacher,
    Enrolment,
    Holiday,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
)
from schedule.services.year import standard_calendar

from .models import ArchiveBuild, ArchiveDocument, ArchivePart
from .services.build import write_manifest
from .services.documents import archive_class
from .services.generate import Habits, YearRows

SUBJECTS = ("Математика", "Русский язык", "Окружающий мир")
TOPICS = {
    "Математика": [
        "Сложение многозначных чисел", "Умножение на однозначное число", "Деление с остатком",
        "Задачи на движение", "Доли и дроби",
    ],
    "Русский язык": [
        "Части речи", "Правописание безударных гласных", "Имя прилагательное",
        "Глагол: время", "Изложение",
    ],
    "Окружающий мир": [
        "Природные зоны России", "Наш край", "Человек и природа", "История Отечества",
        "Охрана природы",
    ],
}  # fmt: skip
# A fourth grade: absences mostly for illness, fewer marks, a pupil's final marks steady.
HABITS = Habits(
    absent=0.04, absent_codes=("absent", "ill", "ill"), marked=0.21, marks="5554443",
    steady=True, due_in_days=2,
)  # fmt: skip


def build(ctx) -> None:
    if not ctx.schools or "5А" not in getattr(ctx, "classes", {}) or "deputy" not in ctx.named:
        return
    school = ctx.schools[0]
    current = ctx.years[school.slug]
    fifth, pupils = ctx.classes["5А"]
    deputy = ctx.named["deputy"]
    teacher = ctx.named.get("teacher") or deputy
    first = current.start.year - 1
    start, end = SchoolYear.default_bounds(first)
    year = SchoolYear.objects.create(
        school=school, name=SchoolYear.default_name(first), start=start, end=end
    )
    periods, holidays = standard_calendar(year)
    StudyPeriod.objects.bulk_create(periods)
    Holiday.objects.bulk_create(holidays)
    periods = [p for p in StudyPeriod.objects.filter(year=year) if p.covers_grade(4)]
    fourth = SchoolClass.objects.create(
        school=school, year=year, grade=4, letter="А", class_teacher=fifth.class_teacher
    )
    in_class = [
        p for p in pupils if not Enrolment.objects.filter(pupil=p, start__lt=start).exists()
    ]
    Enrolment.objects.bulk_create(
        Enrolment(
            school=school, pupil=p, school_class=fourth, start=start, end=end,
            end_reason=Enrolment.EndReason.YEAR_END, order_number="112-о",
        )
        for p in in_class
    )  # fmt: skip
    days = [
        d
        for p in periods
        for d in (p.start + timedelta(days=i) for i in range((p.end - p.start).days + 1))
        if d.isoweekday() in (1, 3, 5)
    ]
    rng = ctx.rng
    rows = YearRows(school, teacher, rng, HABITS)
    for number, name in enumerate(SUBJECTS, 1):
        subject = ctx.subjects[school.slug].get(name)
        if subject is None:
            continue
        course = Course.objects.create(
            school=school, year=year, school_class=fourth, subject=subject,
            hours_per_year=len(days),
        )  # fmt: skip
        CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
        topics = TOPICS[name]
        rows.add_course(
            course, days, in_class, periods, number=number,
            topic=lambda i, _day, topics=topics: f"{topics[i * len(topics) // len(days)]}, "
            f"урок {i + 1}",
            homework=lambda _i, _day: _("Учебник, с. %(p)s, упр. %(n)s")
            % {"p": rng.randint(5, 150), "n": rng.randint(1, 9)},
        )  # fmt: skip
    rows.save(batch_size=2000)
    year.closed_at = school.now()
    year.closed_by = deputy
    year.save()
    # The archive of 4А, built here in one go (the parts and the manifest as a build's).
    fourth = SchoolClass.objects.select_related("school", "year", "class_teacher").get(pk=fourth.pk)
    run = ArchiveBuild.objects.create(school=school, year=year, started_by=deputy)
    documents = archive_class(fourth)
    for document in documents:
        ArchivePart.objects.create(
            school=school, build=run, kind=document.kind, school_class=fourth,
            period=document.period, state=ArchivePart.State.DONE, attempts=1, document=document,
        )  # fmt: skip
    run.manifest = write_manifest(school, year)
    run.finished_at = school.now()
    run.save()
    assert ArchiveDocument.objects.filter(year=year).count() == len(documents) + 1
