import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from .login_history import note_entry
from .organisations import ORG_READER
from .tenancy import organisation_and_roles, school_and_roles


class SchoolMiddleware:
    """Resolve the school of `/s/<school_slug>/…` once, and scope every query to it.

    A school the user holds no role in answers 404, exactly like a school that does not
    exist, so nobody can probe which schools use the system.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.school_roles = frozenset()
        request.organisation = None
        request.organisation_roles = frozenset()
        try:
            return self.get_response(request)
        finally:
            active = getattr(request, "_school_scope", None)
            if active is not None:
                active.__exit__(None, None, None)
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        org_slug = view_kwargs.pop("org_slug", None)
        if org_slug is not None:
            return self.enter_organisation(request, org_slug)
        slug = view_kwargs.pop("school_slug", None)
        if slug is None:
            if request.path_info.startswith("/admin/") and request.user.is_superuser:
                # The platform operator creates schools in Django admin, across tenants.
                request._school_scope = scopes_disabled()
                request._school_scope.__enter__()
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        school, roles = school_and_roles(slug, request.user)
        if school is None or not roles:
            raise Http404
        if ORG_READER in roles and request.method not in SAFE_METHODS:
            # An organisation reads its schools and writes nothing in them: every write
            # request is refused here, before any view (the write policy says so too).
            raise PermissionDenied
        remember_roles(request, "_school_roles", school.pk, roles)
        request.school = school
        request.school_roles = roles
        request._school_scope = scope(school=school)
        request._school_scope.__enter__()
        # Every date and time the user sees is the school's (a school in Kamchatka is not on
        # Moscow time); code asks school.today() for the school's day.
        timezone.activate(school.zone)
        note_entry(request, school)
        return None

    def enter_organisation(self, request, slug):
        """`/o/<org_slug>/…`: the organisation, for its own people only (404 otherwise)."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation, roles = organisation_and_roles(slug, request.user)
        if organisation is None or not roles:
            raise Http404
        remember_roles(request, "_organisation_roles", organisation.pk, roles)
        request.organisation = organisation
        request.organisation_roles = roles
        # The roll-ups read several schools at once, each row with its school_id.
        request._school_scope = scopes_disabled()
        request._school_scope.__enter__()
        return None


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def remember_roles(request, attribute: str, pk: int, roles) -> None:
    """Give the request's user the roles it holds here, for the rules of this request.
    Permission checks receive the user behind request.user's lazy wrapper: give it the roles
    too, or the first rule of each request asks the database again."""
    request.user.__dict__.setdefault(attribute, {})[pk] = roles
    wrapped = getattr(request.user, "_wrapped", None)
    if wrapped is not None and hasattr(wrapped, "__dict__"):
        wrapped.__dict__.setdefault(attribute, {})[pk] = roles


class SessionLifetimeMiddleware:
    """End a session 30 idle minutes after its last request, or 12 hours after sign-in.

    Django's own expiry slides forward each time the session is saved, so both limits are
    kept here, in two stamps in the session. The idle stamp is written at most once a
    minute, so that reading pages does not write the session on every request.
    """

    STAMP = "_last_seen"
    SIGNED_IN = "_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def start(cls, session) -> None:
        """Stamp a session at sign-in (see the user_logged_in receiver)."""
        now = int(time.time())
        session[cls.SIGNED_IN] = now
        session[cls.STAMP] = now

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            seen = session.get(self.STAMP, now)
            signed_in = session.get(self.SIGNED_IN, now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - signed_in > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            else:
                if self.SIGNED_IN not in session:
                    session[self.SIGNED_IN] = signed_in
                if now - seen >= 60 or self.STAMP not in session:
                    session[self.STAMP] = now
        return self.get_response(request)
