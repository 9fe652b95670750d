"""Sign-ins, failed attempts and entries into a school, as each history shows them.

See accounts.models.LoginEvent for what each school sees: the entries into it (one per
session, the first time the session opens one of its pages), and the failed attempts of
accounts that belong to it alone.
"""

from .models import LoginEvent, Membership
from .security import client_ip

ENTERED = "_schools_entered"  # session key: ids of the schools this session has entered


def _event(request, user, **fields) -> LoginEvent:
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return LoginEvent.objects.create(
        user=user, ip_address=client_ip(request), user_agent=agent[:300], **fields
    )


def record_sign_in(request, user) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(ENTERED, None)  # a new sign-in enters its schools anew
    _event(request, user)


def record_failed_attempt(request, user) -> None:
    schools = set(
        Membership.objects.with_scopes_disabled()
        .active()
        .filter(user=user)
        .values_list("school_id", flat=True)
    )
    _event(request, user, succeeded=False, school_id=schools.pop() if len(schools) == 1 else None)


def note_entry(request, school) -> None:
    """The first page of `school` this session opens is the school's record of the sign-in."""
    session = getattr(request, "session", None)
    if session is None:
        return
    entered = session.get(ENTERED, [])
    if school.pk in entered:
        return
    session[ENTERED] = [*entered, school.pk]
    _event(request, request.user, school=school)
