"""Demo messages, announcements, a sent weekly digest and final-mark notices.

Runs last (after the journal's marks, attendance and final marks). Rows are written directly,
not through the services, so that seeding sends no e-mail.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import ParentLink, User
from grading.models import FinalMark
from journal.models import Announcement, Message, Thread, ThreadParticipant

from .models import DigestDelivery, DigestSettings, FinalMarkNotice
from .services.digest import build_content, digest_week


def conversation(
    school, subject, people, lines, *, hours_ago=1, pupil=None, school_class=None, kind=None
):
    """A thread of `people` (the first starts it) with `lines` as [(author, text)], older
    first, the last `hours_ago`; each participant has read up to their own last message."""
    now = timezone.now() - timedelta(hours=hours_ago)
    start = now - timedelta(hours=2 * (len(lines) - 1))
    thread = Thread.objects.create(
        school=school,
        kind=kind or Thread.Kind.DIRECT,
        subject=subject,
        pupil=pupil,
        school_class=school_class,
        created_by=people[0],
        created_at=start,
        last_message_at=start,
    )
    last_read = {}
    for n, (author, text) in enumerate(lines):
        at = start + timedelta(hours=2 * n)
        Message.objects.create(
            school=school, thread=thread, author=author, body=text, created_at=at, notified_at=at
        )
        last_read[author.pk] = n
        thread.last_message_at = at
    thread.save(update_fields=["last_message_at"])
    for user in people:
        read = last_read.get(user.pk, -1)
        ThreadParticipant.objects.create(
            school=school,
            thread=thread,
            user=user,
            unread=len(lines) - 1 - read,
            can_write=kind != Thread.Kind.CLASS or user == people[0],
        )
    return thread


def build(ctx) -> None:
    first = ctx.schools[0]
    named = ctx.named
    parent, teacher, lead = named.get("parent"), named.get("teacher"), named.get("classteacher")
    admin, deputy = named.get("admin"), named.get("deputy")
    if not all((parent, teacher, lead, admin, deputy)):
        return
    child = ParentLink.objects.filter(school=first, parent=parent).select_related("pupil").first()
    pupil = child.pupil if child else None
    school_class = ctx.classes["5А"][0] if "5А" in getattr(ctx, "classes", {}) else None

    conversation(
        first,
        "Контрольная по математике",
        [parent, teacher],
        [
            (parent, "Здравствуйте! Сын пропустил контрольную из-за болезни. Можно написать?"),
            (teacher, "Здравствуйте! Да, в четверг после 6-го урока, кабинет 204."),
        ],
        pupil=pupil,
        hours_ago=3,
    )
    conversation(
        first,
        "Справка после болезни",
        [lead, parent],
        [(lead, "Добрый день! Принесите, пожалуйста, справку к понедельнику.")],
        pupil=pupil,
        hours_ago=26,
    )
    conversation(
        first,
        "Замена уроков в среду",
        [deputy, teacher],
        [
            (deputy, "В среду вы заменяете 3-й урок в 6Б, тема по КТП."),
            (teacher, "Хорошо, приму."),
        ],
        hours_ago=50,
    )
    if school_class is not None:
        parents = list(
            ParentLink.objects.filter(
                school=first, pupil__enrolments__school_class=school_class
            ).values_list("parent", flat=True)
        )
        readers = list(User.objects.filter(pk__in=set(parents)).exclude(pk=lead.pk))
        conversation(
            first,
            "Родительское собрание",
            [lead, *readers],
            [(lead, "Уважаемые родители! Собрание в четверг в 18:00 в кабинете 105.")],
            school_class=school_class,
            kind=Thread.Kind.CLASS,
        )
        Announcement.objects.create(
            school=first,
            school_class=school_class,
            title="Экскурсия в краеведческий музей",
            body="В пятницу после 4-го урока. Нужно согласие родителей.",
            author=lead,
            published_on=ctx.today - timedelta(days=1),
        )
    # Dates follow the day the demo is built, so the announcement is never stale.
    open_days = (ctx.today + timedelta(days=7), ctx.today + timedelta(days=11))
    Announcement.objects.create(
        school=first,
        title="Дни открытых уроков",
        body=(
            f"С {open_days[0]:%d.%m} по {open_days[1]:%d.%m} родители могут прийти на уроки. "
            "Запишитесь у классного руководителя."
        ),
        author=admin,
        published_on=ctx.today - timedelta(days=3),
        visible_until=open_days[1],
    )

    # One digest sent to the demo parent (kept in the app), and the week marked planned so
    # that the hourly tick does not mail every demo parent at once.
    week = digest_week(ctx.today)
    DigestDelivery.objects.create(
        school=first,
        parent=parent,
        week=week,
        state=DigestDelivery.State.SENT,
        sent_at=timezone.now(),
        emailed_to=parent.email,
        attempts=1,
        content=build_content(first, parent.pk, week),
    )
    for school in ctx.schools:
        DigestSettings.objects.update_or_create(school=school, defaults={"planned_week": week})

    # Notices of the final marks the journal's demo set for the demo parent's child.
    if pupil is not None:
        FinalMarkNotice.objects.bulk_create(
            FinalMarkNotice(
                school=first,
                parent=parent,
                pupil=pupil,
                final_mark=mark,
                value=mark.value,
                emailed_at=timezone.now(),
            )
            for mark in FinalMark.objects.filter(pupil=pupil)[:20]
        )


def truant(ctx):
    """A pupil of the class teacher's class (not the demo parent's child) who skipped the
    last week's lessons without a reason, so the list of pupils at risk has someone on it."""
    from datetime import timedelta

    from journal.models import Attendance
    from schedule.models import Enrolment, Lesson, SchoolClass

    first, lead = ctx.schools[0], ctx.named.get("classteacher")
    led = SchoolClass.objects.filter(school=first, class_teacher=lead).order_by("-year__start")
    school_class = led.first()
    if school_class is None:
        return None
    children = ParentLink.objects.filter(parent=ctx.named.get("parent")).values("pupil_id")
    stay = (
        Enrolment.objects.filter(school_class=school_class)
        .on(ctx.today)
        .exclude(pupil_id__in=children)
        .order_by("pupil__last_name", "pupil_id")
        .last()
    )
    if stay is None:
        return None
    lessons = (
        Lesson.objects.filter(
            course__school_class=school_class,
            course__subgroup__isnull=True,
            status=Lesson.Status.PLANNED,
            date__gt=ctx.today - timedelta(days=7),
            date__lte=ctx.today,
        )
        .exclude(marks__pupil_id=stay.pupil_id)  # an absent pupil gets no mark there
        .order_by("date", "number")[:8]
    )
    for lesson in lessons:
        Attendance.objects.update_or_create(
            lesson=lesson,
            pupil_id=stay.pupil_id,
            defaults={
                "school": first,
                "code": Attendance.Code.ABSENT,
                "set_by": lead,
                "minutes_late": None,
                "deleted_at": None,
            },
        )
    return stay.pupil_id


def check_journal(ctx) -> None:
    """The evening's check of the demo's first school on its last kept day, so the deputy's
    «Контроль ведения журнала» and the teachers' «Сегодня» have shortfalls to act on (the
    journal generated by the apps below leaves some topics, homework and marks missing), and
    the list of pupils at risk someone on it. Seeding e-mails nobody: no notices."""
    from .services.control import do_check_school

    truant(ctx)
    do_check_school(ctx.schools[0].pk, on=ctx.today, notify=False)


_build_messages = build


def build(ctx) -> None:  # noqa: F811  (the messages, the check, then the college's organisation)
    _build_messages(ctx)
    check_journal(ctx)
    from .demo_organisation import build as build_organisation

    build_organisation(ctx)
