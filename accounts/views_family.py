"""A pupil's family: who reads the diary, ending someone's access (with a reason), a new code
for one parent, and the parents' contacts kept current by the school."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .access_log import Action, record
from .code_slips import code_slips_response
from .forms import EndAccessForm, FamilyCodeForm, ParentContactsForm
from .mixins import SchoolPermissionMixin
from .models import AccessCode, FamilyAccessEnd, ParentLink, Pupil, Role, User
from .navigation import school_reverse
from .once import SubmitOnceMixin
from .services import AccessNotHeld, end_family_access, family_access, issue_family_code


def labelled(people) -> list[dict]:
    for person in people:
        person["label"] = (
            ParentLink.Kind(person["kind"]).label
            if person["role"] == Role.PARENT
            else _("обучающийся (своя учётная запись)")
        )
    return people


class PupilFamilyMixin(SchoolPermissionMixin):
    """A page about one pupil's family: another class's pupil is not found for its teacher."""

    permission = "accounts.manage_family_access"
    hide_forbidden = True

    def get_permission_object(self):
        self.pupil = get_object_or_404(Pupil.objects.select_related("user"), pk=self.kwargs["pk"])
        return self.pupil

    def access_url(self):
        return school_reverse(self.request.school, "accounts:family_access", pk=self.pupil.pk)

    def after_duplicate_url(self):
        return self.access_url()

    def page(self, *, end_form=None, code_form=None, status=200):
        pupil = self.pupil
        people = labelled(family_access(pupil))
        what = _("Доступ семьи к дневнику: %(name)s") % {"name": pupil.full_name}
        record(self.request, Action.VIEW, what, pupil=pupil, records=1 + len(people))
        context = {
            "pupil": pupil,
            "people": people,
            "ends": FamilyAccessEnd.objects.filter(pupil=pupil).select_related("user", "ended_by"),
            "codes": AccessCode.objects.filter(pupil=pupil).select_related("used_by"),
            "end_form": end_form or EndAccessForm(people=people),
            "code_form": code_form or FamilyCodeForm(),
        }
        return render(self.request, "accounts/family_access.html", context, status=status)


class FamilyAccessView(PupilFamilyMixin, View):
    def get(self, request, pk):
        return self.page()


class EndFamilyAccessView(PupilFamilyMixin, SubmitOnceMixin, View):
    """End one person's access with a reason; optionally print a new code for them."""

    def post(self, request, pk):
        people = labelled(family_access(self.pupil))
        form = EndAccessForm(request.POST, people=people)
        if not form.is_valid():
            return self.page(end_form=form, status=400)
        person = next(p for p in people if str(p["user"].pk) == form.cleaned_data["whose"])
        user = person["user"]
        try:
            ended = end_family_access(
                self.pupil, user, reason=form.cleaned_data["reason"], by=request.user
            )
        except AccessNotHeld as gone:
            messages.error(request, str(gone))
            return redirect(self.access_url())
        what = _("Доступ к дневнику закрыт: %(user)s (%(pupil)s)")
        record(
            request,
            Action.CHANGE,
            what % {"user": user.full_name, "pupil": self.pupil.full_name},
            pupil=self.pupil,
        )
        messages.success(
            request,
            _("Доступ закрыт: %(name)s больше не видит дневник.") % {"name": user.full_name},
        )
        if not form.cleaned_data["new_code"]:
            return redirect(self.access_url())
        code, raw = issue_family_code(
            self.pupil,
            role=ended.role,
            parent_kind=ended.parent_kind,
            intended_for=user.full_name if ended.role == Role.PARENT else "",
            by=request.user,
        )
        return self.slips(code, raw)

    def slips(self, code, raw):
        return slips_of_pupil(self.request, self.pupil, code, raw, self.access_url())


def slips_of_pupil(request, pupil, code, raw, back_url):
    what = _("Листок с кодом доступа: %(name)s") % {"name": pupil.full_name}
    record(request, Action.EXPORT, what, pupil=pupil)
    title = _("Код доступа: %(name)s") % {"name": pupil.full_name}
    slips = [{"pupil": pupil, "code": code, "raw": raw}]
    return code_slips_response(request, slips, title=title, place="", back_url=back_url)


class FamilyCodeView(PupilFamilyMixin, SubmitOnceMixin, View):
    """A new code for one parent of the pupil, or for the pupil; its slip printed at once."""

    def post(self, request, pk):
        form = FamilyCodeForm(request.POST)
        if form.is_valid() and form.cleaned_data["role"] == Role.PUPIL and self.pupil.user_id:
            form.add_error(
                "role",
                _("У обучающегося уже есть учётная запись: сначала закройте её доступ."),
            )
        if not form.is_valid():
            return self.page(code_form=form, status=400)
        data = form.cleaned_data
        code, raw = issue_family_code(
            self.pupil,
            role=data["role"],
            parent_kind=data["parent_kind"] if data["role"] == Role.PARENT else "",
            intended_for=data["intended_for"] if data["role"] == Role.PARENT else "",
            by=request.user,
        )
        return slips_of_pupil(request, self.pupil, code, raw, self.access_url())


class ParentContactsView(SchoolPermissionMixin, View):
    """The class teacher (or the leadership) keeps a parent's phone and e-mail current; the
    change is in the person's history with its author."""

    permission = "accounts.change_pupil"
    hide_forbidden = True
    template_name = "accounts/parent_contacts.html"

    def get_permission_object(self):
        self.pupil = get_object_or_404(Pupil, pk=self.kwargs["pk"])
        self.parent = get_object_or_404(
            User.objects.filter(children_links__pupil=self.pupil), pk=self.kwargs["parent_pk"]
        )
        return self.pupil

    def page(self, form, status=200):
        context = {"pupil": self.pupil, "parent": self.parent, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def what(self, text):
        return text % {"parent": self.parent.full_name, "pupil": self.pupil.full_name}

    def get(self, request, pk, parent_pk):
        what = self.what(_("Контакты родителя открыты для правки: %(parent)s (%(pupil)s)"))
        record(request, Action.VIEW, what, pupil=self.pupil)
        return self.page(ParentContactsForm(instance=self.parent))

    def post(self, request, pk, parent_pk):
        form = ParentContactsForm(request.POST, instance=self.parent)
        if not form.is_valid():
            return self.page(form, status=400)
        if form.has_changed():
            form.save()
            what = self.what(_("Контакты родителя изменены: %(parent)s (%(pupil)s)"))
            record(request, Action.CHANGE, what, pupil=self.pupil)
        messages.success(request, _("Контакты родителя сохранены."))
        return redirect(school_reverse(request.school, "accounts:pupil", pk=self.pupil.pk))
