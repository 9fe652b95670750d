from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404


def _share_school(obj, school) -> None:
    """Give the page's object the request's school (the tenant, resolved once): its rules and
    services ask `obj.school.today()` and the regulation without another query."""
    if obj is None or obj is school or getattr(obj, "school_id", None) != school.pk:
        return
    field = next((f for f in obj._meta.fields if f.name == "school"), None)
    if field is not None and not field.is_cached(obj):
        obj.school = school


class SchoolPermissionMixin(LoginRequiredMixin):
    """Every school page declares the one permission it needs, checked on one object.

    `permission` names a rule (see each app's rules.py); `get_permission_object` returns
    the object it is checked against — the school by default. A page about one child
    sets `hide_forbidden` so that another child's page answers 404, like a missing one.
    """

    permission: str = ""
    hide_forbidden = False

    def get_permission_object(self):
        return self.request.school

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission")
        if request.school is None:
            raise ImproperlyConfigured(f"{type(self).__name__} is not under /s/<school>/")
        self.permission_object = self.get_permission_object()
        _share_school(self.permission_object, request.school)
        if not request.user.has_perm(self.permission, self.permission_object):
            if self.hide_forbidden:
                raise Http404
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrganisationPermissionMixin(LoginRequiredMixin):
    """An organisation's page under `/o/<org_slug>/`: the middleware has resolved the
    organisation and refused anyone without a role in it (404). `permission` is a rule
    asked of the organisation."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission")
        if getattr(request, "organisation", None) is None:
            raise ImproperlyConfigured(f"{type(self).__name__} is not under /o/<org>/")
        if not request.user.has_perm(self.permission, request.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
