"""The rules about roles and access codes, in one place."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from lib.fallback_cache import CacheUnavailable

from .models import (
    CODE_GROUP_LEN,
    FAMILY_ROLES,
    AccessCode,
    FamilyAccessEnd,
    Membership,
    ParentLink,
    Pupil,
    PupilUserObjectPermission,
    Role,
    hash_code,
    normalize_code,
)

# Deliberately one message for every failure, so the page does not reveal which codes exist.
CODE_REJECTED = gettext_lazy(
    "Код не подошёл: он неверен, уже использован, отозван или срок его действия истёк."
)


class CodeRejected(Exception):
    pass


class TooManyAttempts(Exception):
    pass


class AttemptsNotCounted(Exception):
    """The attempt counter (Redis) does not answer: the code is refused, not let through."""


def too_many_attempts_message() -> str:
    minutes = max(1, settings.CODE_ATTEMPTS_WINDOW // 60)
    return _("Слишком много попыток ввода кода. Попробуйте снова через %(minutes)s мин.") % {
        "minutes": minutes
    }


def acting(instance, by):
    """Name the acting user for simple-history when no signed-in request names them.

    A new user redeeming a code is still anonymous while their role and links are written;
    without this their history rows would have no author.
    """
    if by is not None:
        instance._history_user = by
    return instance


# Roles that decide over others' records (corrections, the regulation): nobody gives them to
# themselves.
SELF_GRANT_REFUSED = (Role.DEPUTY, Role.DIRECTOR)


class RoleRefused(Exception):
    pass


def check_may_grant(by, user, role) -> None:
    """An administrator may not give themselves a deciding role: another one does."""
    if by is not None and by.pk == user.pk and role in SELF_GRANT_REFUSED:
        raise RoleRefused(
            _(
                "Роль «%(role)s» нельзя назначить себе: её назначает другой администратор ЭЖ "
                "или оператор платформы."
            )
            % {"role": Role(role).label}
        )


def grant_role(school, user, role, by=None) -> Membership:
    """Give `user` the role in `school`, once: an active membership is kept as it is."""
    memberships = Membership.objects.with_scopes_disabled()
    existing = memberships.active().filter(school=school, user=user, role=role).first()
    if existing is not None:
        return existing
    membership = acting(Membership(school=school, user=user, role=role), by)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # granted a moment ago by another request
        return memberships.active().get(school=school, user=user, role=role)
    return membership


def save_regulation(regulation, *, by) -> None:
    """Save the school's rules with their author (history); they apply from now on."""
    acting(regulation, by).save()


# Sent once a user no longer holds a role in a school (an active membership ended or deleted,
# by end_role or in the admin): each app takes back what the role gave. Arguments:
# membership (the ended or deleted row). Receivers: accounts.signals, schedule.signals.
role_ended = Signal()


@transaction.atomic
def end_role(membership: Membership) -> None:
    """End a role now. Everything it gave ends with it (`role_ended`): grants, assignments,
    links; the tenancy cache of the user's roles is dropped (accounts.signals)."""
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])


def announce_role_end(membership: Membership) -> None:
    """Send `role_ended` unless the user holds the role in the school again (another row)."""
    still = (
        Membership.objects.with_scopes_disabled()
        .active()
        .filter(school_id=membership.school_id, user_id=membership.user_id, role=membership.role)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not still:
        role_ended.send(sender=Membership, membership=membership)


def sweep_pupil_grants(user_id: int, school_id: int) -> None:
    """Remove the user's view_pupil grants in the school that nothing backs any more: a child
    is read by a parent linked to them while holding the parent role, and by the pupil's own
    account while it holds the pupil role."""
    roles = Membership.objects.with_scopes_disabled().roles_of(user_id, school_id)
    grants = PupilUserObjectPermission.objects.filter(
        user_id=user_id, content_object__school_id=school_id
    )
    if Role.PARENT in roles:
        linked = ParentLink.objects.with_scopes_disabled().filter(
            parent_id=user_id, pupil_id=OuterRef("content_object_id")
        )
        grants = grants.exclude(Exists(linked))
    if Role.PUPIL in roles:
        grants = grants.exclude(content_object__user_id=user_id)
    grants.delete()


def end_family_role(membership: Membership) -> None:
    """A parent's role ended: their links to the school's children end (the links' history
    keeps them). A pupil's: their account is detached from the pupil's record. Then no grant
    of theirs in the school that nothing backs is left."""
    with scopes_disabled():
        if membership.role == Role.PARENT:
            links = ParentLink.objects.filter(
                school_id=membership.school_id, parent_id=membership.user_id
            )
            for link in links:
                link.delete()
        elif membership.role == Role.PUPIL:
            records = Pupil.objects.filter(
                school_id=membership.school_id, user_id=membership.user_id
            )
            for pupil in records:
                pupil.user = None
                pupil.save(update_fields=["user"])
        sweep_pupil_grants(membership.user_id, membership.school_id)


# The limit on code entry counts failures only: a parents' meeting on one school Wi-Fi
# address, thirty parents each typing a good code, is thirty successes and counts nothing.
# A failure is counted three ways, each refusing further tries for the window once full:
# - the browser's session (CODE_FAILURES_PER_SESSION): a person mistyping again and again;
# - the address and the code's first group (CODE_FAILURES_PER_CODE): one code guessed at;
#   another parent's code has another first group (one of 923,521), so bogus codes typed
#   by someone on the same address do not lock them out;
# - the address (CODE_FAILURES_PER_IP), far above what a meeting's typos come to: scripted
#   guessing across codes and sessions. A code has 59 bits, so even this ceiling lets a
#   guesser try a negligible part of the codes; it is the only bucket a deliberate flood
#   from inside the meeting's network can fill, and a deployment may raise it freely.
SESSION_FAILURES = "code_failures"  # session key: times of this browser's failed tries


def _address_buckets(ip: str | None, raw: str) -> list[tuple[str, int]]:
    address = ip or "unknown"
    first_group = normalize_code(raw)[:CODE_GROUP_LEN]
    return [
        (f"code-failures:ip:{address}", settings.CODE_FAILURES_PER_IP),
        (f"code-failures:code:{address}:{first_group}", settings.CODE_FAILURES_PER_CODE),
    ]


def _session_failures(session) -> list[float]:
    since = time.time() - settings.CODE_ATTEMPTS_WINDOW
    return [t for t in session.get(SESSION_FAILURES, []) if t > since]


def check_code_attempt(session, ip: str | None, raw: str) -> None:
    """Raise TooManyAttempts if a bucket this try falls into is full (see above)."""
    if len(_session_failures(session)) >= settings.CODE_FAILURES_PER_SESSION:
        raise TooManyAttempts
    if any(_count(key) >= limit for key, limit in _address_buckets(ip, raw)):
        raise TooManyAttempts


def _count(key: str, delta: int = 0) -> int:
    """A bucket's failures, after adding `delta`. Without Redis nothing can be counted, and
    the code is refused (AttemptsNotCounted: fails closed): a limit that silently lets
    everything through is a hole nobody sees, while redeeming a code is a once-per-person
    step that can wait the few minutes of an outage."""
    cache.add(key, 0, timeout=settings.CODE_ATTEMPTS_WINDOW)
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        cache.set(key, delta, timeout=settings.CODE_ATTEMPTS_WINDOW)
        return delta
    except CacheUnavailable:
        raise AttemptsNotCounted from None


def count_code_failure(session, ip: str | None, raw: str) -> None:
    for key, _limit in _address_buckets(ip, raw):
        _count(key, 1)
    session[SESSION_FAILURES] = [*_session_failures(session), time.time()]


def forget_code_failures(session) -> None:
    """A good code ends the browser's run of failures (the address's counts stay)."""
    session.pop(SESSION_FAILURES, None)


def find_usable_code(raw: str) -> AccessCode:
    with scopes_disabled():
        code = (
            AccessCode.objects.usable()
            .select_related("school", "pupil")
            .filter(code_hash=hash_code(raw))
            .first()
        )
    if code is None:
        raise CodeRejected(CODE_REJECTED)
    return code


@transaction.atomic
def redeem_code(code_id: int, user) -> AccessCode:
    """Give `user` the role the code carries. A code works once, even under a race.

    The row is locked first and its state read again under the lock, so of two
    simultaneous redemptions the second waits for the first and then finds the code used.
    """
    with scopes_disabled():
        code = (
            AccessCode.objects.select_for_update(of=("self",))
            .select_related("school")
            .filter(pk=code_id)
            .first()
        )
        if code is None or code.status != AccessCode.Status.ACTIVE:
            raise CodeRejected(CODE_REJECTED)
        pupil = None
        if code.role in FAMILY_ROLES:
            pupil = Pupil.objects.select_for_update().filter(pk=code.pupil_id).first()
            if pupil is None:
                raise CodeRejected(CODE_REJECTED)
        if code.role == Role.PUPIL:
            if pupil.user_id and pupil.user_id != user.pk:
                raise CodeRejected(
                    _("К этой записи обучающегося уже привязана другая учётная запись.")
                )
            other_record = (
                Pupil.objects.filter(school=code.school, user=user).exclude(pk=pupil.pk).exists()
            )
            if other_record:
                raise CodeRejected(
                    _(
                        "Ваша учётная запись уже привязана к другому обучающемуся этой школы. "
                        "Для второго ребёнка нужна отдельная учётная запись."
                    )
                )
            pupil.user = user
            acting(pupil, user).save(update_fields=["user"])
        elif (
            code.role == Role.PARENT
            and not ParentLink.objects.filter(parent=user, pupil=pupil).exists()
        ):
            # The code names the parent it was issued for: their link says who they are.
            kind = code.parent_kind or ParentLink.Kind.GUARDIAN
            link = ParentLink(school=code.school, parent=user, pupil=pupil, kind=kind)
            acting(link, user).save()
        grant_role(code.school, user, code.role, by=user)
        code.used_at = timezone.now()
        code.used_by = user
        code.save(update_fields=["used_at", "used_by"])
    return code


def issue_family_code(pupil, *, role, by, parent_kind="", intended_for=""):
    """A code for one parent of the pupil (who they are to the pupil, their name if known) or
    for the pupil; returns (code, raw). Each parent gets their own."""
    if role == Role.PARENT and not intended_for:
        intended_for = ParentLink.Kind(parent_kind or ParentLink.Kind.GUARDIAN).label
    return AccessCode.issue(
        school=pupil.school,
        role=role,
        created_by=by,
        pupil=pupil,
        intended_for=intended_for or pupil.full_name,
        parent_kind=parent_kind or (ParentLink.Kind.GUARDIAN if role == Role.PARENT else ""),
    )


class AccessNotHeld(Exception):
    """The person has no access to this pupil to end (ended a moment ago, or never had)."""


def family_access(pupil) -> list[dict]:
    """Who reads the pupil's diary now: each linked parent (with who they are) and the pupil's
    own account. Two queries."""
    people = [
        {"user": link.parent, "role": Role.PARENT, "kind": link.kind, "since": link}
        for link in pupil.parent_links.select_related("parent").order_by("parent__last_name")
    ]
    if pupil.user_id:
        people.append({"user": pupil.user, "role": Role.PUPIL, "kind": "", "since": None})
    return people


@transaction.atomic
def end_family_access(pupil, user, *, reason: str, by) -> FamilyAccessEnd:
    """End one parent's (or the pupil's own) access to the pupil's diary now, with a reason.

    The pupil's account: their pupil role in the school ends (`end_role`, which detaches the
    record). A parent: their link to this child goes; a parent left with no other child in the
    school loses the parent role (`end_role`, whose `end_family_role` takes the links). Either
    way the grants nothing backs any more are swept, and the roles' cache is dropped, so the
    next page they open is refused. The ending is kept with its author and reason."""
    memberships = Membership.objects.with_scopes_disabled().active()
    with scopes_disabled():
        pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
        if pupil.user_id == user.pk:
            role, kind = Role.PUPIL, ""
            membership = memberships.filter(
                school_id=pupil.school_id, user=user, role=Role.PUPIL
            ).first()
            if membership is not None:
                end_role(membership)
            else:  # a record linked without the role: detach it all the same
                pupil.user = None
                acting(pupil, by).save(update_fields=["user"])
        else:
            link = ParentLink.objects.filter(pupil=pupil, parent=user).first()
            if link is None:
                raise AccessNotHeld(_("У этого человека уже нет доступа к дневнику ребёнка."))
            role, kind = Role.PARENT, link.kind
            others = (
                ParentLink.objects.filter(school_id=pupil.school_id, parent=user)
                .exclude(pk=link.pk)
                .exists()
            )
            membership = memberships.filter(
                school_id=pupil.school_id, user=user, role=Role.PARENT
            ).first()
            if others or membership is None:
                acting(link, by).delete()
            else:
                end_role(acting(membership, by))
        return FamilyAccessEnd.objects.create(
            school_id=pupil.school_id,
            pupil=pupil,
            user=user,
            role=role,
            parent_kind=kind,
            reason=reason,
            ended_by=by,
        )


def revoke_code(code: AccessCode, by) -> None:
    if code.status == AccessCode.Status.ACTIVE:
        code.revoked_at = timezone.now()
        code.revoked_by = by
        code.save(update_fields=["revoked_at", "revoked_by"])


def record_consent(pupil, *, parent, given_on, given_by: str, by):
    """A consent to the processing of a pupil's (or one parent's) personal data, as signed."""
    from .models import Consent

    return Consent.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        parent=parent,
        given_on=given_on,
        given_by=given_by,
        recorded_by=by,
    )


def withdraw_consent(consent, *, on, by) -> None:
    """Withdrawn from a day on; the record and its history stay."""
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on
        consent._history_user = by
        consent.save(update_fields=["withdrawn_on"])


EMAIL_SALT = "accounts.confirm_email"
EMAIL_LINK_DAYS = 3


def email_token(user, email: str) -> str:
    """A signed token naming the user and the new address (no table: it expires by itself)."""
    from django.core import signing

    return signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_SALT)


def confirm_email(user, token: str) -> str | None:
    """The new address, set on the user, if the token is theirs and fresh; else None."""
    from django.core import signing

    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk:
        return None
    user.email = data["e"]
    user.save(update_fields=["email"])
    return user.email
