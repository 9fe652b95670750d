from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404


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
        if not request.user.has_perm(self.permission, self.permission_object):
            if self.hide_forbidden:
                raise Http404
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
