"""Messages: who may write to whom, threads, unread counters and e-mail notices.

Who may write to whom follows the roles (`allowed_recipients`):

- a parent, and a pupil for themselves, write to the teachers of the child's courses (their
  subgroups only), the child's class teacher and the administration (administrator, director,
  deputy) — never to other families;
- staff write to every member of staff;
- a teacher writes to the families (parents and pupils) of the pupils they teach, a class
  teacher to the families of their class, and the administration to every family;
- a class teacher (and the administration) may write to all parents of a class at once: a
  class mailing, which parents read and answer privately.

Anyone in a thread may answer in it (except parents in a class mailing). The unread count in
the navigation is kept in the cache (`cached_badge`), set from the database at sign-in, on the
messages and diary pages, and after each new message by its task — so other pages read it
without a query.
"""

import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import (
    FAMILY_ROLES,
    STAFF_ROLES,
    TEACHING_ROLES,
    Membership,
    ParentLink,
    Pupil,
    Role,
    User,
)
from accounts.navigation import school_reverse
from accounts.rules import LEADERSHIP, roles_in_school
from accounts.words import SCHOOL_WORDS, words_for
from lib.replica import from_primary
from schedule.models import CourseTeacher, Enrolment, SchoolClass, SubgroupMembership, held_on

from ..models import Message, NotificationSettings, Thread, ThreadParticipant

logger = logging.getLogger(__name__)

BADGE_TIMEOUT = 7 * 24 * 60 * 60


# --- Who may write to whom ------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    key: str  # "u<user id>" or "c<class id>" (all parents of the class)
    label: str
    group: str
    order: int = 0
    user_id: int | None = None
    class_id: int | None = None


GROUP_LEADERSHIP = 10
GROUP_CLASS_TEACHERS = 20
GROUP_TEACHERS = 30
GROUP_MAILINGS = 40
GROUP_FAMILIES = 50


def _staff(school) -> dict[int, set[str]]:
    """{user id: their staff roles} of the school."""
    staff: dict[int, set[str]] = {}
    for user_id, role in (
        Membership.objects.with_scopes_disabled()
        .active()
        .filter(school=school, role__in=STAFF_ROLES)
        .values_list("user_id", "role")
    ):
        staff.setdefault(user_id, set()).add(role)
    return staff


def _current_pupils(school, today, *, classes=None, courses=None, pupils=None):
    """{pupil id: class} of pupils enrolled today, narrowed to classes, courses (subgroups
    applied) or pupils."""
    enrolments = Enrolment.objects.filter(school=school).on(today).select_related("school_class")
    if classes is not None:
        enrolments = enrolments.filter(school_class__in=list(classes))
    if pupils is not None:
        enrolments = enrolments.filter(pupil_id__in=list(pupils))
    found = {e.pupil_id: e.school_class for e in enrolments}
    if courses is None:
        return found
    courses = list(courses)
    whole = {c.school_class_id for c in courses if c.subgroup_id is None}
    subgroups = {c.subgroup_id for c in courses if c.subgroup_id}
    in_subgroups = set(
        SubgroupMembership.objects.filter(school=school, subgroup_id__in=subgroups)
        .on(today)
        .values_list("pupil_id", flat=True)
    )
    return {
        pupil_id: school_class
        for pupil_id, school_class in found.items()
        if school_class.pk in whole
        or (pupil_id in in_subgroups and school_class.pk in {c.school_class_id for c in courses})
    }


def _families(school, pupil_classes: dict) -> list[Recipient]:
    """Parents and pupils (with accounts) of the given pupils, labelled with the child."""
    if not pupil_classes:
        return []
    result = []
    pupils = {p.pk: p for p in Pupil.objects.filter(school=school, pk__in=list(pupil_classes))}
    for link in ParentLink.objects.filter(school=school, pupil_id__in=list(pupils)).select_related(
        "parent"
    ):
        pupil = pupils[link.pupil_id]
        school_class = pupil_classes[pupil.pk]
        result.append(
            Recipient(
                key=f"u{link.parent_id}",
                label=_("%(parent)s — родитель: %(child)s")
                % {"parent": link.parent.full_name, "child": pupil.short_name},
                group=_("Родители %(cls)s") % {"cls": school_class.name},
                order=GROUP_FAMILIES,
                user_id=link.parent_id,
            )
        )
    for pupil in pupils.values():
        if pupil.user_id:
            school_class = pupil_classes[pupil.pk]
            result.append(
                Recipient(
                    key=f"u{pupil.user_id}",
                    label=pupil.full_name,
                    group=_("Обучающиеся %(cls)s") % {"cls": school_class.name},
                    order=GROUP_FAMILIES + 1,
                    user_id=pupil.user_id,
                )
            )
    return result


def _with_child(role: str, child: str, several: bool) -> str:
    return f"{role} ({child})" if several else role


def _staff_recipients(
    staff: dict, users: dict, only=None, roles=None, leads=None, words=SCHOOL_WORDS
) -> list[Recipient]:
    """Staff as recipients; `roles` ({user id: [«классный руководитель», «учитель: …»]}) says
    what each is to a family's child, so a parent does not choose from bare names; the
    groups are named in the school's `words` (accounts.words)."""
    result = []
    for user_id, held in staff.items():
        if only is not None and user_id not in only:
            continue
        for_child = list(dict.fromkeys((roles or {}).get(user_id, [])))
        if for_child:
            user = users[user_id]
            leading = user_id in (leads or set())
            if held & set(LEADERSHIP):
                for_child += [str(Role(r).label) for r in LEADERSHIP if r in held]
            result.append(
                Recipient(
                    key=f"u{user_id}",
                    label=f"{user.full_name} — {', '.join(for_child)}",
                    group=words.Class_teacher if leading else words.Teachers,
                    order=GROUP_CLASS_TEACHERS if leading else GROUP_TEACHERS,
                    user_id=user_id,
                )
            )
            continue
        roles_held = held
        if roles_held & set(LEADERSHIP):
            label = ", ".join(str(Role(r).label) for r in LEADERSHIP if r in roles_held)
            group, order = _("Администрация"), GROUP_LEADERSHIP
        elif Role.CLASS_TEACHER in roles_held:
            label, group, order = "", words.Class_teachers, GROUP_CLASS_TEACHERS
        else:
            label, group, order = "", words.Teachers, GROUP_TEACHERS
        user = users[user_id]
        result.append(
            Recipient(
                key=f"u{user_id}",
                label=f"{user.full_name} ({label})" if label else user.full_name,
                group=group,
                order=order,
                user_id=user_id,
            )
        )
    return result


def _mailing(school_class) -> Recipient:
    return Recipient(
        key=f"c{school_class.pk}",
        label=_("Всем родителям %(cls)s") % {"cls": school_class.name},
        group=_("Рассылки"),
        order=GROUP_MAILINGS,
        class_id=school_class.pk,
    )


def children_of(user, school) -> list[Pupil]:
    """The pupils whose diary the user reads as a family member: their children, themselves."""
    roles = roles_in_school(user, school.pk)
    found = {}
    if Role.PUPIL in roles:
        for pupil in Pupil.objects.filter(school=school, user=user):
            found[pupil.pk] = pupil
    if Role.PARENT in roles:
        for link in ParentLink.objects.filter(school=school, parent=user).select_related("pupil"):
            found[link.pupil.pk] = link.pupil
    return sorted(found.values(), key=lambda p: (p.last_name, p.first_name, p.pk))


def allowed_recipients(user, school, today=None) -> list[Recipient]:
    """Everyone `user` may start a thread with in `school`, by the rules above, sorted."""
    today = today or school.today()
    words = words_for(school)
    roles = roles_in_school(user, school.pk)
    found: dict[str, Recipient] = {}

    def add(items):
        for item in items:
            if item.user_id != user.pk and item.key not in found:
                found[item.key] = item

    staff = _staff(school)
    users = {u.pk: u for u in User.objects.filter(pk__in=list(staff))}
    if roles & set(STAFF_ROLES):
        add(_staff_recipients(staff, users, words=words))
        if roles & set(LEADERSHIP):
            add(_families(school, _current_pupils(school, today)))
            classes = SchoolClass.objects.filter(held_on(today, "year__"), school=school)
            add(_mailing(c) for c in classes)
        if Role.CLASS_TEACHER in roles:
            led = list(
                SchoolClass.objects.filter(
                    held_on(today, "year__"), school=school, class_teacher=user
                )
            )
            add(_mailing(c) for c in led)
            add(_families(school, _current_pupils(school, today, classes=led)))
        if roles & {*TEACHING_ROLES, Role.CLASS_TEACHER}:
            courses = [
                ct.course
                for ct in CourseTeacher.objects.filter(school=school, teacher=user).select_related(
                    "course"
                )
            ]
            add(_families(school, _current_pupils(school, today, courses=courses)))
    if roles & set(FAMILY_ROLES):
        children = children_of(user, school)
        pupil_classes = _current_pupils(school, today, pupils=[c.pk for c in children])
        classes = {c.pk: c for c in pupil_classes.values()}
        teachers = {c.class_teacher_id for c in classes.values() if c.class_teacher_id}
        course_links = CourseTeacher.objects.filter(
            school=school, course__school_class_id__in=list(classes)
        ).select_related("course__subject")
        subgroups = set(
            SubgroupMembership.objects.filter(school=school, pupil_id__in=list(pupil_classes))
            .on(today)
            .values_list("subgroup_id", flat=True)
        )
        roles_for_child: dict[int, list[str]] = {}
        several = len(pupil_classes) > 1
        names = {c.pk: c.first_name for c in children}
        for pupil_id, school_class in pupil_classes.items():
            if school_class.class_teacher_id:
                roles_for_child.setdefault(school_class.class_teacher_id, []).append(
                    _with_child(words.class_teacher, names[pupil_id], several)
                )
        for link in course_links:
            if link.course.subgroup_id is None or link.course.subgroup_id in subgroups:
                teachers.add(link.teacher_id)
                for pupil_id, school_class in pupil_classes.items():
                    if school_class.pk == link.course.school_class_id:
                        roles_for_child.setdefault(link.teacher_id, []).append(
                            _with_child(
                                _("%(teacher)s: %(subject)s")
                                % {"teacher": words.teacher, "subject": link.course.subject.name},
                                names[pupil_id],
                                several,
                            )
                        )
        leaders = {uid for uid, r in staff.items() if r & set(LEADERSHIP)}
        add(
            _staff_recipients(
                staff,
                users,
                only=(teachers | leaders) & set(staff),
                roles=roles_for_child,
                leads={c.class_teacher_id for c in classes.values()},
                words=words,
            )
        )
    return sorted(found.values(), key=lambda r: (r.order, r.group, r.label))


def find_recipient(user, school, key: str) -> Recipient | None:
    return next((r for r in allowed_recipients(user, school) if r.key == key), None)


# --- Threads and messages -------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Напишите текст сообщения."))
    if len(body) > 5000:
        raise ValidationError(_("Сообщение длиннее 5000 знаков."))
    return body


def class_parents(school, school_class, today=None) -> list[int]:
    """User ids of the parents of the pupils enrolled in the class today."""
    today = today or school.today()
    pupils = Enrolment.objects.filter(school=school, school_class=school_class).on(today)
    return sorted(
        set(
            ParentLink.objects.filter(
                school=school, pupil_id__in=pupils.values("pupil_id")
            ).values_list("parent_id", flat=True)
        )
    )


@transaction.atomic
def start_thread(school, author, key: str, subject: str, body: str, pupil=None) -> Thread:
    """A new thread from `author` to the recipient `key`, with its first message.

    Refused (ValidationError) for a recipient the rules do not allow."""
    recipient = find_recipient(author, school, key)
    if recipient is None:
        raise ValidationError(_("Этому адресату вы писать не можете."))
    subject = (subject or "").strip()[:200]
    if not subject:
        raise ValidationError(_("Укажите тему."))
    body = _clean_body(body)
    if recipient.class_id:
        school_class = SchoolClass.objects.get(school=school, pk=recipient.class_id)
        thread = Thread.objects.create(
            school=school,
            kind=Thread.Kind.CLASS,
            subject=subject,
            school_class=school_class,
            created_by=author,
        )
        readers = [uid for uid in class_parents(school, school_class) if uid != author.pk]
        ThreadParticipant.objects.bulk_create(
            [ThreadParticipant(school=school, thread=thread, user=author)]
            + [
                ThreadParticipant(school=school, thread=thread, user_id=uid, can_write=False)
                for uid in readers
            ]
        )
    else:
        thread = Thread.objects.create(
            school=school, subject=subject, pupil=pupil, created_by=author
        )
        ThreadParticipant.objects.bulk_create(
            [
                ThreadParticipant(school=school, thread=thread, user=author),
                ThreadParticipant(school=school, thread=thread, user_id=recipient.user_id),
            ]
        )
    _add_message(thread, author, body)
    return thread


def post_message(thread, author, body: str) -> Message:
    """An answer in a thread by one of its participants who may write in it."""
    body = _clean_body(body)
    participant = ThreadParticipant.objects.filter(thread=thread, user=author).first()
    if participant is None or not participant.can_write:
        raise ValidationError(_("В этой переписке вы не можете отвечать."))
    with transaction.atomic():
        return _add_message(thread, author, body)


def _add_message(thread, author, body) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        school_id=thread.school_id, thread=thread, author=author, body=body, created_at=now
    )
    ThreadParticipant.objects.filter(thread=thread).exclude(user=author).update(
        unread=models.F("unread") + 1
    )
    ThreadParticipant.objects.filter(thread=thread, user=author).update(unread=0, last_read_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    thread.last_message_at = now
    message_id = message.pk
    transaction.on_commit(lambda: notify_new_message.delay(message_id), robust=True)
    return message


def mark_read(participant) -> None:
    """The participant has seen the thread: their counter drops to zero."""
    if participant.unread or participant.last_read_at is None:
        ThreadParticipant.objects.filter(pk=participant.pk).update(
            unread=0, last_read_at=timezone.now()
        )
        participant.unread = 0


def threads_of(user, school):
    """The user's threads, newest first, each with `other_names`: two queries."""
    participations = list(
        ThreadParticipant.objects.filter(school=school, user=user)
        .select_related("thread__school_class", "thread__pupil")
        .order_by("-thread__last_message_at")
    )
    names: dict[int, list[str]] = {}
    others = (
        ThreadParticipant.objects.filter(thread_id__in=[p.thread_id for p in participations])
        .exclude(user=user)
        .filter(can_write=True)
        .select_related("user")
        .order_by("user__last_name")
    )
    for other in others:
        names.setdefault(other.thread_id, []).append(other.user.short_name)
    for participation in participations:
        thread = participation.thread
        participation.other_names = names.get(thread.pk, [])
        if thread.kind == Thread.Kind.CLASS and not participation.other_names:
            # The author of a class mailing: the parents read it, none of them writes in it.
            cls = thread.school_class.name if thread.school_class_id else ""
            participation.other_names = [_("родители %(cls)s") % {"cls": cls}]
    return participations


# --- The unread badge -----------------------------------------------------------------------


def badge_key(school_id, user_id) -> str:
    return f"unread-messages:{school_id}:{user_id}"


def unread_total(user, school) -> int:
    """Unread messages of the user in the school: one indexed query."""
    total = ThreadParticipant.objects.filter(school=school, user=user, unread__gt=0).aggregate(
        total=models.Sum("unread")
    )["total"]
    return total or 0


def refresh_badge(user, school) -> int:
    with from_primary():  # kept: never a replica's, a second behind
        total = unread_total(user, school)
    cache.set(badge_key(school.pk, user.pk), total, BADGE_TIMEOUT)
    return total


def cached_badge(user, school) -> int | None:
    """The count for the navigation, from the cache only (None when not known)."""
    return cache.get(badge_key(school.pk, user.pk))


def refresh_badges(school_id, user_ids) -> None:
    """Set the counts of several users from the database: one query."""
    user_ids = list(user_ids)
    totals = dict.fromkeys(user_ids, 0)
    with scopes_disabled():
        rows = (
            ThreadParticipant.objects.filter(school_id=school_id, user_id__in=user_ids)
            .values("user_id")
            .annotate(total=models.Sum("unread"))
        )
        for row in rows:
            totals[row["user_id"]] = row["total"] or 0
    cache.set_many(
        {badge_key(school_id, uid): total for uid, total in totals.items()}, BADGE_TIMEOUT
    )


@receiver(user_logged_in, dispatch_uid="journal.messaging.badges_at_sign_in")
def badges_at_sign_in(sender, request, user, **kwargs):
    """At sign-in, set the user's counts in all schools at once (one query)."""
    with scopes_disabled():
        rows = (
            ThreadParticipant.objects.filter(user=user)
            .values("school_id")
            .annotate(total=models.Sum("unread"))
        )
        cache.set_many(
            {badge_key(row["school_id"], user.pk): row["total"] or 0 for row in rows},
            BADGE_TIMEOUT,
        )


# --- E-mail notices -------------------------------------------------------------------------


@shared_task(name="journal.notify_new_message", acks_late=True)
def notify_new_message(message_id: int) -> int:
    """Refresh the recipients' counters and e-mail those who want it. Returns e-mails sent.

    The message is claimed (notified_at set) before sending, so a retried task sends nothing
    twice: a worker dying between the claim and the sending loses the e-mails of that one
    message (at most once) — the message itself is in the app either way.
    """
    with scopes_disabled():
        message = (
            Message.objects.select_related("thread", "author", "school")
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return 0
        recipients = list(
            User.objects.filter(
                thread_participations__thread_id=message.thread_id, is_active=True
            ).exclude(pk=message.author_id)
        )
        refresh_badges(message.school_id, [u.pk for u in recipients])
        claimed = Message.objects.filter(pk=message.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return 0
        opted_out = NotificationSettings.opted_out([u.pk for u in recipients], "email_messages")
        url = school_reverse(message.school, "journal:thread", pk=message.thread_id)
        sent = 0
        for user in recipients:
            if not user.email or user.pk in opted_out:
                continue
            context = {
                "message": message,
                "thread": message.thread,
                "school": message.school,
                "recipient": user,
                "url": settings.SITE_URL.rstrip("/") + url
                if getattr(settings, "SITE_URL", "")
                else url,
            }
            email = EmailMessage(
                subject=_("Новое сообщение: %(subject)s") % {"subject": message.thread.subject},
                body=render_to_string("journal/messages_email.txt", context),
                to=[user.email],
            )
            try:
                email.send()
                sent += 1
            except Exception:  # one bad address must not stop the others
                logger.exception("message %s: e-mail to user %s failed", message.pk, user.pk)
    return sent
