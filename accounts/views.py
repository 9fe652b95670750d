from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView, UpdateView
from django_scopes import scopes_disabled

from lib.forms import SearchForm

from . import regulation_explained
from .access_log import Action, record
from .forms import (
    CodeFilterForm,
    ConsentForm,
    ContactsForm,
    GrantRoleForm,
    PresetForm,
    PupilForm,
    RedeemCodeForm,
    RegistrationForm,
    RegulationForm,
    SanePasswordChangeForm,
    SanePasswordResetForm,
    SaneSetPasswordForm,
    SchoolSettingsForm,
    SignInForm,
    StaffCodeForm,
)
from .mixins import SchoolPermissionMixin
from .models import (
    FAMILY_ROLES,
    STAFF_ROLES,
    AccessCode,
    Consent,
    LoginEvent,
    Membership,
    ParentLink,
    Pupil,
    Regulation,
    Role,
    User,
)
from .navigation import home_address, school_reverse
from .once import SubmitOnceMixin
from .organisations import ORG_READER, organisations_of
from .record_history import record_changes
from .rules import LEADERSHIP
from .security import client_ip, remember_device
from .services import (
    EMAIL_LINK_DAYS,
    AttemptsNotCounted,
    CodeRejected,
    RoleRefused,
    TooManyAttempts,
    check_code_attempt,
    check_may_grant,
    confirm_email,
    count_code_failure,
    email_token,
    end_role,
    find_usable_code,
    forget_code_failures,
    grant_role,
    record_consent,
    redeem_code,
    revoke_code,
    save_regulation,
    too_many_attempts_message,
    withdraw_consent,
)
from .words import words_for


class HomeView(LoginRequiredMixin, TemplateView):
    """After sign-in: straight into the only school, or a choice between several."""

    template_name = "accounts/home.html"

    def get(self, request, *args, **kwargs):
        with scopes_disabled():
            memberships = list(
                Membership.objects.active().filter(user=request.user).select_related("school")
            )
        schools = {}
        for membership in memberships:
            schools.setdefault(membership.school, []).append(membership.get_role_display())
        organisations = organisations_of(request.user)
        if len(schools) == 1 and not organisations:
            school = next(iter(schools))
            roles = {m.role for m in memberships}
            return redirect(home_address(school, roles))
        if len(organisations) == 1 and not schools:
            return redirect("org:home", org_slug=organisations[0].slug)
        return self.render_to_response(
            {
                "schools": sorted(schools.items(), key=lambda i: i[0].short_name),
                "organisations": organisations,
            }
        )


class DashboardView(SchoolPermissionMixin, TemplateView):
    permission = "accounts.enter_school"
    template_name = "accounts/dashboard.html"

    def get_context_data(self, **kwargs):
        if ORG_READER in self.request.school_roles:
            roles = [_("просмотр через организацию (только чтение)")]
        else:
            roles = [Role(r).label for r in sorted(self.request.school_roles)]
        with scopes_disabled():
            other_schools = (
                Membership.objects.active()
                .filter(user=self.request.user)
                .exclude(school=self.request.school)
                .values_list("school__slug", "school__short_name")
                .distinct()
            )
        # The class teacher's own classes this year, each with the way to its journals and
        # absences (schedule's classes, reached by their relation: accounts imports no app).
        today = self.request.school.today()
        led = []
        if Role.CLASS_TEACHER in self.request.school_roles:
            led = list(
                self.request.user.led_classes.filter(
                    school=self.request.school, year__start__lte=today, year__end__gte=today
                ).order_by("grade", "letter")
            )
        setup = (
            admin_overview(self.request.school, today)
            if Role.ADMIN in self.request.school_roles
            else None
        )
        return super().get_context_data(
            roles=roles,
            other_schools=list(other_schools),
            led_classes=led,
            setup=setup,
            **kwargs,
        )


def admin_overview(school, today) -> dict:
    """The administrator's home: codes waiting to be redeemed, people left without a role,
    and how far the current year is set up (its periods, classes and courses). The year's
    rows are reached through their relations: accounts imports no app above it."""
    codes = AccessCode.objects.filter(school=school).usable()
    members = Membership.objects.filter(school=school)
    active = members.active().values("user_id")
    without_roles = members.exclude(user_id__in=active).values("user_id").distinct().count()
    year = school.years.filter(start__lte=today, end__gte=today).first()
    return {
        "staff_codes": codes.filter(pupil__isnull=True).count(),
        "family_codes": codes.filter(pupil__isnull=False).count(),
        "without_roles": without_roles,
        "year": year,
        "periods": year.periods.count() if year else 0,
        "classes": year.classes.count() if year else 0,
        "courses": year.courses.count() if year else 0,
    }


class SearchableListMixin:
    """A list with a search box (?q=): a refused search (too long, control characters)
    answers 400 with its message above the whole list."""

    def get(self, request, *args, **kwargs):
        self.search = SearchForm(request.GET)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            q=self.search.query(), search_errors=self.search.errors.get("q"), **kwargs
        )

    def render_to_response(self, context, **kwargs):
        if self.search.errors:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


def staff_only(request) -> bool:
    """The specialist for staff records reads the school's staff, not its families."""
    return not request.school_roles & set(LEADERSHIP)


class PeopleListView(SearchableListMixin, SchoolPermissionMixin, ListView):
    """Everyone who holds a role in the school, with their roles, filterable."""

    permission = "accounts.view_people"
    template_name = "accounts/people_list.html"
    paginate_by = 100

    def get_queryset(self):
        role = self.request.GET.get("role", "")
        query = self.search.query()
        memberships = Membership.objects.active().order_by("role")
        # One filter() call, so that the school, the role and "not ended" hold for the same
        # membership: a teacher here who is an administrator elsewhere is not an admin here.
        held = {"memberships__school": self.request.school, "memberships__ended_at__isnull": True}
        if role in Role.values:
            held["memberships__role"] = role
        if staff_only(self.request):
            held["memberships__role__in"] = STAFF_ROLES
        users = User.objects.filter(**held)
        if query:
            users = users.filter(
                Q(last_name__icontains=query)
                | Q(first_name__icontains=query)
                | Q(username__icontains=query)
            )
        return users.distinct().prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="school_memberships")
        )

    def get_context_data(self, **kwargs):
        words = words_for(self.request.school)
        roles = [(role.value, words.role(role)) for role in Role]
        return super().get_context_data(
            roles=roles, role=self.request.GET.get("role", ""), **kwargs
        )


class PersonView(SchoolPermissionMixin, DetailView):
    permission = "accounts.view_people"
    template_name = "accounts/person.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        people = User.objects.filter(memberships__school=self.request.school)
        if staff_only(self.request):
            people = User.objects.filter(
                memberships__school=self.request.school, memberships__role__in=STAFF_ROLES
            )
        person = get_object_or_404(people.distinct(), pk=self.kwargs["pk"])
        what = _("Карточка пользователя: %(name)s") % {"name": person.full_name}
        record(self.request, Action.VIEW, what)
        return person

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            memberships=Membership.objects.filter(user=person).order_by("ended_at", "role"),
            children=ParentLink.objects.filter(parent=person).select_related("pupil"),
            grant_form=GrantRoleForm(),
            can_manage=self.request.user.has_perm("accounts.manage_people", self.request.school),
            **kwargs,
        )


class GrantRoleView(SchoolPermissionMixin, View):
    permission = "accounts.manage_people"

    def post(self, request, pk):
        person = get_object_or_404(
            User.objects.filter(memberships__school=request.school).distinct(), pk=pk
        )
        form = GrantRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Выберите роль из списка."))
        else:
            role = form.cleaned_data["role"]
            try:
                check_may_grant(request.user, person, role)
            except RoleRefused as refused:
                messages.error(request, str(refused))
            else:
                grant_role(request.school, person, role, by=request.user)
                messages.success(request, _("Роль назначена."))
        return redirect(school_reverse(request.school, "accounts:person", pk=person.pk))


class EndRoleView(SchoolPermissionMixin, View):
    permission = "accounts.manage_people"

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.active(), pk=pk)
        if membership.user_id == request.user.pk and membership.role == Role.ADMIN:
            messages.error(request, _("Нельзя снять с себя роль администратора."))
        elif membership.role in FAMILY_ROLES:
            messages.error(
                request, _("Роли родителей и обучающихся меняются через карточку обучающегося.")
            )
        else:
            end_role(membership)
            messages.success(request, _("Роль снята."))
        return redirect(school_reverse(request.school, "accounts:person", pk=membership.user_id))


class PupilListView(SearchableListMixin, SchoolPermissionMixin, ListView):
    permission = "accounts.view_personal_data"
    template_name = "accounts/pupil_list.html"
    paginate_by = 100

    def get_queryset(self):
        pupils = Pupil.objects.select_related("user")
        query = self.search.query()
        if query:
            pupils = pupils.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query))
        return pupils

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            can_edit=self.request.user.has_perm("accounts.add_pupil", self.request.school),
            **kwargs,
        )
        shown = context["object_list"]
        what = _("Список обучающихся, страница %(page)s") % {"page": context["page_obj"].number}
        if context["q"]:
            what += _(", поиск «%(q)s»") % {"q": context["q"]}
        record(self.request, Action.VIEW, what, records=len(shown))
        return context


class PupilView(SchoolPermissionMixin, DetailView):
    permission = "accounts.view_personal_data"
    # Another class's pupil is not found for a class teacher (nor for anyone not let in).
    hide_forbidden = True
    template_name = "accounts/pupil.html"
    context_object_name = "pupil"

    def get_permission_object(self):
        self.object = get_object_or_404(Pupil.objects.select_related("user"), pk=self.kwargs["pk"])
        return self.object

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        what = _("Карточка обучающегося: %(name)s") % {"name": self.object.full_name}
        record(self.request, Action.VIEW, what, pupil=self.object)
        can_edit = self.request.user.has_perm("accounts.change_pupil", self.object)
        links = list(self.object.parent_links.select_related("parent"))
        return super().get_context_data(
            parent_links=links,
            can_edit=can_edit,
            changes=record_changes(self.object, [link.parent for link in links]),
            can_manage_access=self.request.user.has_perm(
                "accounts.manage_family_access", self.object
            ),
            consents=Consent.objects.filter(pupil=self.object).select_related(
                "parent", "recorded_by"
            ),
            consent_form=ConsentForm(
                pupil=self.object,
                parents=[link.parent for link in links],
                initial={"given_on": self.request.school.today()},
            )
            if can_edit
            else None,
            **kwargs,
        )


class ConsentMixin(SchoolPermissionMixin):
    permission = "accounts.change_pupil"

    def pupil_url(self, pupil):
        return school_reverse(self.request.school, "accounts:pupil", pk=pupil.pk)


class ConsentAddView(ConsentMixin, SubmitOnceMixin, View):
    """Record a consent to the processing of personal data (152-ФЗ) as signed on paper."""

    def after_duplicate_url(self):
        return school_reverse(self.request.school, "accounts:pupil", pk=self.kwargs["pk"])

    def get_permission_object(self):
        self.pupil = get_object_or_404(Pupil, pk=self.kwargs["pk"])
        return self.pupil

    def get(self, request, pk):
        parents = [link.parent for link in self.pupil.parent_links.select_related("parent")]
        form = ConsentForm(
            pupil=self.pupil, parents=parents, initial={"given_on": request.school.today()}
        )
        return render(request, "accounts/consent_form.html", {"pupil": self.pupil, "form": form})

    def post(self, request, pk):
        parents = {link.parent_id: link.parent for link in self.pupil.parent_links.all()}
        form = ConsentForm(request.POST, pupil=self.pupil, parents=parents.values())
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(self.pupil_url(self.pupil))
        data = form.cleaned_data
        whose = parents.get(int(data["whose"])) if data["whose"] else None
        record_consent(
            self.pupil,
            parent=whose,
            given_on=data["given_on"],
            given_by=data["given_by"],
            by=request.user,
        )
        messages.success(request, _("Согласие на обработку персональных данных записано."))
        return HttpResponseRedirect(self.pupil_url(self.pupil))


class ConsentWithdrawView(ConsentMixin, View):
    def get_permission_object(self):
        self.consent = get_object_or_404(
            Consent.objects.select_related("pupil"), pk=self.kwargs["pk"]
        )
        return self.consent.pupil

    def post(self, request, pk):
        withdraw_consent(self.consent, on=request.school.today(), by=request.user)
        messages.success(request, _("Отзыв согласия записан."))
        return HttpResponseRedirect(self.pupil_url(self.consent.pupil))


class InvalidFormIs400:
    """Bad input answers 400 with the form and its Russian errors, nothing else lost."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PupilFormMixin(SchoolPermissionMixin):
    permission = "accounts.change_pupil"
    form_class = PupilForm
    template_name = "accounts/pupil_form.html"

    def get_success_url(self):
        return school_reverse(self.request.school, "accounts:pupil", pk=self.object.pk)


class PupilCreateView(PupilFormMixin, SubmitOnceMixin, View):
    permission = "accounts.add_pupil"

    def get(self, request):
        return render(request, self.template_name, {"form": PupilForm()})

    def post(self, request):
        form = PupilForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        form.instance.school = request.school
        self.object = form.save()
        what = _("Новая запись обучающегося: %(name)s") % {"name": self.object.full_name}
        record(request, Action.CHANGE, what, pupil=self.object)
        messages.success(request, _("Запись обучающегося создана."))
        return HttpResponseRedirect(self.get_success_url())


class PupilUpdateView(PupilFormMixin, InvalidFormIs400, UpdateView):
    hide_forbidden = True

    def get_permission_object(self):
        self.object = get_object_or_404(Pupil, pk=self.kwargs["pk"])
        return self.object

    def get_object(self, queryset=None):
        return self.object

    def get(self, request, *args, **kwargs):
        what = _("Запись обучающегося открыта для правки: %(name)s")
        record(request, Action.VIEW, what % {"name": self.object.full_name}, pupil=self.object)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        changed = ", ".join(str(form.fields[name].label) for name in form.changed_data)
        what = _("Запись обучающегося изменена: %(name)s (%(fields)s)")
        what %= {"name": self.object.full_name, "fields": changed or "—"}
        record(self.request, Action.CHANGE, what, pupil=self.object)
        return super().form_valid(form)


class StaffCodesView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """Staff access codes: the list, and issuing a new one (shown in full only now)."""

    permission = "accounts.manage_people"
    template_name = "accounts/staff_codes.html"

    def codes(self):
        return (
            AccessCode.objects.filter(pupil__isnull=True)
            .with_status(self.request.GET.get("status", ""))
            .select_related("used_by", "created_by")[:500]
        )

    def get(self, request, form=None, issued=None):
        return render(
            request,
            self.template_name,
            {
                "form": form or StaffCodeForm(),
                "filter_form": CodeFilterForm(request.GET or None),
                "codes": self.codes(),
                "issued": issued,
            },
            status=400 if form is not None and form.errors else 200,
        )

    def post(self, request):
        form = StaffCodeForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        code, raw = AccessCode.issue(
            school=request.school,
            role=form.cleaned_data["role"],
            created_by=request.user,
            intended_for=form.cleaned_data["intended_for"],
        )
        return self.get(request, issued={"code": code, "raw": raw})


class RevokeCodeView(SchoolPermissionMixin, View):
    permission = "accounts.manage_people"

    def post(self, request, pk):
        code = get_object_or_404(AccessCode.objects.filter(pupil__isnull=True), pk=pk)
        revoke_code(code, request.user)
        messages.success(request, _("Код отозван."))
        return redirect(school_reverse(request.school, "accounts:staff_codes"))


class SchoolSettingsView(SchoolPermissionMixin, InvalidFormIs400, UpdateView):
    permission = "accounts.manage_school"
    form_class = SchoolSettingsForm
    template_name = "accounts/school_settings.html"

    def get_object(self, queryset=None):
        return self.request.school

    def form_valid(self, form):
        messages.success(self.request, _("Настройки сохранены."))
        return super().form_valid(form)

    def get_success_url(self):
        return school_reverse(self.request.school, "accounts:settings")


class RegulationView(SchoolPermissionMixin, TemplateView):
    """«Положение об ЭЖ»: the school's rules in plain Russian (the leadership reads them)."""

    permission = "accounts.view_regulation"
    template_name = "accounts/regulation.html"

    def get_context_data(self, **kwargs):
        regulation = self.request.school.regulation
        return super().get_context_data(
            regulation=regulation,
            sections=regulation_explained.sections(regulation),
            can_edit=self.request.user.has_perm("accounts.manage_regulation", self.request.school),
            **kwargs,
        )


class RegulationEditView(SchoolPermissionMixin, View):
    """The administrator sets the rules; each takes effect when saved (what had locked stays
    locked: accounts.regulation.Regulation.lock_day)."""

    permission = "accounts.manage_regulation"
    template_name = "accounts/regulation_edit.html"

    def page(self, form, status=200):
        regulation = form.instance
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "regulation": regulation,
                "sections": regulation_explained.sections(regulation, form),
                "preset_form": PresetForm(initial={"preset": regulation.preset}),
            },
            status=status,
        )

    def regulation(self):
        # A fresh row: the request's school carries a cached copy.
        return Regulation.objects.get(school=self.request.school)

    def get(self, request):
        return self.page(RegulationForm(instance=self.regulation()))

    def post(self, request):
        form = RegulationForm(request.POST, instance=self.regulation())
        if not form.is_valid():
            return self.page(form, status=400)
        save_regulation(form.instance, by=request.user)
        messages.success(request, _("Положение сохранено: правила действуют с этой минуты."))
        return redirect(school_reverse(request.school, "accounts:regulation"))


class RegulationPresetView(SchoolPermissionMixin, View):
    """Start again from a preset (a general school, a college): every rule takes its value."""

    permission = "accounts.manage_regulation"

    def post(self, request):
        form = PresetForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Выберите основу из списка."))
            return redirect(school_reverse(request.school, "accounts:regulation_edit"))
        regulation = Regulation.objects.get(school=request.school)
        regulation.apply_preset(form.cleaned_data["preset"])
        save_regulation(regulation, by=request.user)
        messages.success(
            request,
            _("Правила заполнены по основе «%(preset)s».")
            % {"preset": regulation.get_preset_display()},
        )
        return redirect(school_reverse(request.school, "accounts:regulation_edit"))


class SchoolLoginHistoryView(SchoolPermissionMixin, ListView):
    permission = "accounts.view_login_history"
    template_name = "accounts/login_history.html"
    paginate_by = 100

    def get_queryset(self):
        # Entries into this school and failed attempts of its own people (models.LoginEvent):
        # never what a person shared with another school did there.
        return LoginEvent.objects.filter(school=self.request.school).select_related("user")


class MyLoginHistoryView(LoginRequiredMixin, ListView):
    template_name = "accounts/login_history.html"
    paginate_by = 50

    def get_queryset(self):
        return LoginEvent.objects.filter(user=self.request.user).select_related("user", "school")


class EndAllSessionsView(LoginRequiredMixin, View):
    """«Выйти на всех устройствах»: every other session of this account ends now."""

    def post(self, request):
        request.user.end_all_sessions()
        update_session_auth_hash(request, request.user)
        messages.success(
            request,
            _(
                "Все остальные сеансы завершены. Если пароль мог стать известен "
                "посторонним, смените его."
            ),
        )
        return redirect("account:profile")


class ProfileView(LoginRequiredMixin, View):
    """One's profile: sign-in settings, and one's own phone and e-mail kept current (a new
    e-mail is written only when the link sent to it is opened)."""

    template_name = "accounts/profile.html"

    def page(self, form, status=200):
        return render(self.request, self.template_name, {"contacts": form}, status=status)

    def get(self, request):
        user = request.user
        return self.page(ContactsForm(initial={"phone": user.phone, "email": user.email}))

    def post(self, request):
        form = ContactsForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        user, data = request.user, form.cleaned_data
        if data["phone"] != user.phone:
            user.phone = data["phone"]
            user.save(update_fields=["phone"])
            messages.success(request, _("Телефон сохранён."))
        email = data["email"]
        if email and email != user.email:
            link = request.build_absolute_uri(
                reverse("account:confirm_email") + "?" + urlencode({"t": email_token(user, email)})
            )
            send_mail(
                _("Подтвердите адрес электронной почты"),
                _(
                    "Чтобы указать этот адрес в электронном журнале, откройте ссылку (она "
                    "действует %(days)s дня):\n%(link)s\n\nЕсли вы не меняли адрес, ничего "
                    "не делайте."
                )
                % {"link": link, "days": EMAIL_LINK_DAYS},
                None,
                [email],
            )
            messages.info(
                request,
                _("На адрес %(email)s отправлено письмо: адрес сменится, когда вы откроете ссылку.")
                % {"email": email},
            )
        return HttpResponseRedirect(reverse("account:profile"))


class ConfirmEmailView(LoginRequiredMixin, View):
    def get(self, request):
        email = confirm_email(request.user, request.GET.get("t", ""))
        if email is None:
            messages.error(
                request, _("Ссылка недействительна или устарела: укажите адрес в профиле снова.")
            )
        else:
            messages.success(
                request, _("Адрес электронной почты подтверждён: %(e)s.") % {"e": email}
            )
        return HttpResponseRedirect(reverse("account:profile"))


class SignInView(auth_views.LoginView):
    """Django's sign-in page; a browser that signs in becomes a trusted device for the login
    (accounts.security: it still gets in while the login is locked for other clients)."""

    redirect_authenticated_user = True
    form_class = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response


class PasswordChangeView(InvalidFormIs400, auth_views.PasswordChangeView):
    """Django's page; a wrong old password or a weak new one answers 400 like any bad input."""

    form_class = SanePasswordChangeForm


class PasswordResetConfirmView(InvalidFormIs400, auth_views.PasswordResetConfirmView):
    """Django's page (the link from the e-mail); a rejected new password answers 400."""

    form_class = SaneSetPasswordForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = SanePasswordResetForm


REDEEM_SESSION_KEY = "redeem_code_id"


class RedeemCodeView(View):
    """The public page that takes an access code."""

    template_name = "accounts/redeem.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RedeemCodeForm()})

    def post(self, request):
        form = RedeemCodeForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        raw, ip = form.cleaned_data["code"], client_ip(request)
        try:
            check_code_attempt(request.session, ip, raw)
            try:
                code = find_usable_code(raw)
            except CodeRejected:
                count_code_failure(request.session, ip, raw)
                raise
        except TooManyAttempts:
            form.add_error(None, too_many_attempts_message())
            return render(request, self.template_name, {"form": form}, status=429)
        except AttemptsNotCounted:
            form.add_error(
                None, _("Проверка кодов сейчас недоступна. Попробуйте через несколько минут.")
            )
            return render(request, self.template_name, {"form": form}, status=503)
        except CodeRejected as rejected:
            form.add_error("code", str(rejected))
            return render(request, self.template_name, {"form": form}, status=400)
        forget_code_failures(request.session)
        request.session[REDEEM_SESSION_KEY] = code.pk
        return redirect("account:redeem_confirm")


class RedeemConfirmView(View):
    """Second step: a new user creates an account, a signed-in user adds the role."""

    template_name = "accounts/redeem_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        code_id = request.session.get(REDEEM_SESSION_KEY)
        with scopes_disabled():
            self.code = (
                AccessCode.objects.usable()
                .select_related("school", "pupil")
                .filter(pk=code_id)
                .first()
                if code_id
                else None
            )
        if self.code is None:
            messages.error(request, _("Введите код доступа ещё раз."))
            return redirect("account:redeem")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form=None, status=200):
        return render(
            self.request, self.template_name, {"code": self.code, "form": form}, status=status
        )

    def get(self, request):
        form = None if request.user.is_authenticated else RegistrationForm()
        return self.render_page(form)

    def post(self, request):
        signed_in = request.user.is_authenticated
        form = None if signed_in else RegistrationForm(request.POST)
        if form is not None and not form.is_valid():
            return self.render_page(form, status=400)
        try:
            # The new account and the role come together or not at all: a code refused at
            # this step (used a moment ago from another device) leaves no orphan account.
            with transaction.atomic():
                user = request.user if signed_in else form.save()
                redeem_code(self.code.pk, user)
        except CodeRejected as rejected:
            del request.session[REDEEM_SESSION_KEY]
            messages.error(request, str(rejected))
            return redirect("account:redeem")
        del request.session[REDEEM_SESSION_KEY]
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Готово: роль «%(role)s» в «%(school)s» добавлена.")
            % {"role": self.code.get_role_display(), "school": self.code.school.short_name},
        )
        return redirect("accounts:dashboard", school_slug=self.code.school.slug)
