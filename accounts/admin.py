"""Django admin: the platform operator (a superuser) creates schools and their first administrator.

Everything else a school does itself, on its own pages. The admin runs with scopes disabled
(SchoolMiddleware does that for a superuser under /admin/), so it sees every tenant.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lib.forms import ModelForm, SaneInputMixin

from .models import (
    AccessCode,
    LoginEvent,
    Membership,
    Organisation,
    OrganisationMembership,
    ParentLink,
    PersonalDataAccess,
    Pupil,
    Role,
    School,
    User,
    check_timezone,
)
from .services import grant_role


class SchoolAdminForm(ModelForm):
    """The school, and who becomes its first administrator."""

    first_admin = forms.ModelChoiceField(
        label=_("Первый администратор"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_(
            "Существующий пользователь получит роль администратора ЭЖ этой школы. "
            "Нового пользователя создайте в разделе «Пользователи»."
        ),
    )
    issue_admin_code = forms.BooleanField(
        label=_("Выдать код доступа администратора"),
        required=False,
        help_text=_(
            "Код будет показан один раз после сохранения: передайте его администратору, "
            "он сам создаст логин и пароль."
        ),
    )

    class Meta:
        model = School
        fields = ["name", "short_name", "slug", "kind", "timezone"]

    def clean_timezone(self):
        return check_timezone(self.cleaned_data["timezone"])

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if admin_site is not None:
            field = self.fields["first_admin"]
            field.widget = AutocompleteSelect(Membership._meta.get_field("user"), admin_site)
            field.widget.choices = field.choices


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "school"
    fields = ["user", "role", "created_at", "ended_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("роль в школе")
    verbose_name_plural = _("роли в школе")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    form = SchoolAdminForm
    list_display = ["short_name", "name", "slug", "kind", "timezone"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "timezone"]}),
        (_("Администратор ЭЖ"), {"fields": ["first_admin", "issue_admin_code"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        site = self.admin_site

        class WithSite(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=site, **kw)

        return WithSite

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        school = form.instance
        first_admin = form.cleaned_data.get("first_admin")
        if first_admin is not None:
            grant_role(school, first_admin, Role.ADMIN, by=request.user)
            messages.success(
                request,
                gettext("%(user)s — администратор ЭЖ школы «%(school)s».")
                % {"user": first_admin.full_name or first_admin.username, "school": school},
            )
        if form.cleaned_data.get("issue_admin_code"):
            code, raw = AccessCode.issue(school=school, role=Role.ADMIN, created_by=request.user)
            messages.warning(
                request,
                gettext(
                    "Код доступа администратора ЭЖ: %(code)s (действует до %(until)s). "
                    "Он показан один раз — запишите его сейчас."
                )
                % {"code": raw, "until": code.expires_at.strftime("%d.%m.%Y")},
            )


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ["school", "role", "created_at", "ended_at"]
    readonly_fields = ["school", "role", "created_at"]
    extra = 0
    can_delete = False
    verbose_name = _("роль")
    verbose_name_plural = _("роли (назначаются на странице школы)")

    def has_add_permission(self, request, obj=None):
        return False


class AdminUserCreationForm(SaneInputMixin, UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "patronymic", "email", "phone"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = AdminUserCreationForm
    list_display = ["username", "full_name", "email", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "last_name", "first_name", "patronymic", "email"]
    ordering = ["last_name", "first_name", "patronymic"]
    inlines = [UserMembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Личные данные"),
            {"fields": ["last_name", "first_name", "patronymic", "email", "phone"]},
        ),
        (
            _("Права"),
            {"fields": ["is_active", "is_staff", "is_superuser"]},
        ),
        (_("Даты"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "last_name",
                    "first_name",
                    "patronymic",
                    "email",
                    "phone",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("ФИО"))
    def full_name(self, obj):
        return obj.full_name


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "school", "created_at", "ended_at"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__last_name", "school__short_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "school"]


@admin.register(Pupil)
class PupilAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "school", "birth_date", "user"]
    list_filter = ["school"]
    search_fields = ["last_name", "first_name", "patronymic"]
    autocomplete_fields = ["user"]
    list_select_related = ["school", "user"]


@admin.register(ParentLink)
class ParentLinkAdmin(SimpleHistoryAdmin):
    list_display = ["parent", "pupil", "kind", "school"]
    list_filter = ["school", "kind"]
    search_fields = ["parent__last_name", "pupil__last_name"]
    autocomplete_fields = ["parent", "pupil"]
    list_select_related = ["parent", "pupil", "school"]


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "ip_address", "succeeded"]
    list_filter = ["succeeded"]
    search_fields = ["user__username", "ip_address"]
    list_select_related = ["user"]
    readonly_fields = ["user", "at", "ip_address", "user_agent", "succeeded"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: the record of access to personal data is kept as it was written."""

    list_display = ["at", "school", "user_name", "action", "what", "ip_address"]
    list_filter = ["action", "school"]
    search_fields = ["user_name", "what", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationMembershipInline(admin.TabularInline):
    """The organisation's people: they read its schools, write in none (accounts.organisations)."""

    model = OrganisationMembership
    extra = 0
    fields = ("user", "role", "ended_at")
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The platform operator groups schools: a college and its branches, a municipality."""

    list_display = ("short_name", "name", "slug", "kind")
    search_fields = ("name", "short_name", "slug")
    filter_horizontal = ("schools",)
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [OrganisationMembershipInline]
