import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from lib.user_agents import describe as describe_agent


def check_timezone(name: str) -> str:
    """The name of an IANA time zone («Europe/Moscow»), or a Russian ValidationError."""
    from zoneinfo import available_timezones

    from django.core.exceptions import ValidationError

    if name not in available_timezones():
        raise ValidationError(
            _("Неизвестный часовой пояс «%(name)s»: укажите, например, Europe/Moscow."),
            params={"name": name},
        )
    return name


class School(models.Model):
    """The tenant. Every tenant-owned row points here."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("Школа")
        COLLEGE = "college", _("Колледж")

    name = models.CharField(_("полное название"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=100)
    slug = models.SlugField(_("адрес"), max_length=50, unique=True)
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices, default=Kind.SCHOOL)
    timezone = models.CharField(_("часовой пояс"), max_length=64, default="Europe/Moscow")
    # The school's rules live in its Regulation (accounts.regulation): school.regulation.

    class Meta:
        verbose_name = _("школа")
        verbose_name_plural = _("школы")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name

    @property
    def zone(self) -> ZoneInfo:
        """The school's time zone; the server's for a name that is not a zone (refused by the
        settings form, so only a row written around it)."""
        try:
            return ZoneInfo(self.timezone)
        except (ValueError, KeyError, ZoneInfoNotFoundError):
            return timezone.get_default_timezone()

    def now(self) -> datetime:
        """This moment on the school's clock."""
        return timezone.now().astimezone(self.zone)

    def today(self) -> date:
        """The school's own day: what «today» means for its lessons, locks and deadlines."""
        return self.now().date()


UNTRACKED_USER_FIELDS = ["password", "last_login", "session_generation"]


class User(AbstractUser):
    """A person who signs in. Names follow Russian order: фамилия, имя, отчество."""

    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    # Bumped by «выйти на всех устройствах»: every session signed with the old value ends.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # A person's names and contacts change with their author kept (the class teacher keeps
    # the parents' contacts current: 001 §3.3–3.4). The password and the sign-in stamps are
    # not personal data to keep a history of, and a save of only those makes no row.
    history = HistoricalRecords(excluded_fields=UNTRACKED_USER_FIELDS)

    objects = UserManager()

    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name", "patronymic"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """«Иванова М. П.» — the form used in journals and signatures."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= set(UNTRACKED_USER_FIELDS):
            # A sign-in stamp or a new session generation: nothing the history keeps changed.
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.short_name

    def _get_session_auth_hash(self, secret=None):
        # Django ties sessions to the password hash; adding the generation lets a user
        # end every session without changing the password.
        key_salt = "accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def end_all_sessions(self):
        self.session_generation = models.F("session_generation") + 1
        self.save(update_fields=["session_generation"])
        self.refresh_from_db(fields=["session_generation"])


class Role(models.TextChoices):
    ADMIN = "admin", _("Администратор ЭЖ")
    DIRECTOR = "director", _("Директор")
    DEPUTY = "deputy", _("Заместитель директора")
    TEACHER = "teacher", _("Учитель")
    CLASS_TEACHER = "class_teacher", _("Классный руководитель")
    PARENT = "parent", _("Родитель")
    PUPIL = "pupil", _("Обучающийся")
    # The roles of a college (002; issue 18).
    MASTER = "master", _("Мастер производственного обучения")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Заведующий отделением")
    EXTRA_TEACHER = "extra_teacher", _("Педагог дополнительного образования")
    HR = "hr", _("Специалист по кадрам")


STAFF_ROLES = (
    Role.ADMIN,
    Role.DIRECTOR,
    Role.DEPUTY,
    Role.TEACHER,
    Role.CLASS_TEACHER,
    Role.MASTER,
    Role.HEAD_OF_DEPARTMENT,
    Role.EXTRA_TEACHER,
    Role.HR,
)
# Roles that keep courses: a course assigned to one of them gives its teacher's grants (a
# master keeps practice courses, a педагог ДО extra-curricular ones).
TEACHING_ROLES = (Role.TEACHER, Role.MASTER, Role.EXTRA_TEACHER)
FAMILY_ROLES = (Role.PARENT, Role.PUPIL)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def roles_of(self, user_id, school_id) -> frozenset[str]:
        """A user's active roles in one school (one query)."""
        return frozenset(
            self.active()
            .filter(user_id=user_id, school_id=school_id)
            .values_list("role", flat=True)
        )


class Membership(models.Model):
    """A role a user holds in a school. Object-level reach comes with guardian permissions."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("роль снята"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(MembershipQuerySet)
    )

    class Meta:
        verbose_name = _("роль пользователя")
        verbose_name_plural = _("роли пользователей")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_role_per_school_user",
            )
        ]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.school})"


class Pupil(models.Model):
    """A pupil's personal record. It may exist long before the pupil has an account."""

    class Sex(models.TextChoices):
        MALE = "m", _("мужской")
        FEMALE = "f", _("женский")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupil_records"
    )
    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    sex = models.CharField(_("пол"), max_length=1, choices=Sex.choices, blank=True)
    document = models.CharField(
        _("документ"),
        max_length=200,
        blank=True,
        help_text=_("Свидетельство о рождении или паспорт"),
    )
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    # 001 §4.6.5: a family may ask for paper instead of the electronic diary; the weekly
    # printout is made for such families only when asked.
    paper_diary = models.BooleanField(
        _("семья просит бумажную распечатку вместо электронного дневника"), default=False
    )
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    # The record the school keeps current (the form edits them, the card lists their changes).
    RECORD_FIELDS = (
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "sex",
        "document",
        "address",
        "phone",
        "email",
        "paper_diary",
    )

    class Meta:
        verbose_name = _("обучающийся")
        verbose_name_plural = _("обучающиеся")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [models.Index(fields=["school", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                condition=models.Q(user__isnull=False),
                name="one_pupil_record_per_user_and_school",
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        return f"{self.last_name} {self.first_name}"


class Consent(models.Model):
    """Consent to the processing of personal data (152-ФЗ) of a pupil, or of one parent: given
    on a day, by whom (as signed), withdrawn on a day. Kept, never deleted: withdrawing sets
    the day, and the history keeps every change with its author."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="consents")
    # Whose data: the pupil's (empty) or one parent's.
    parent = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("родитель"),
    )
    given_on = models.DateField(_("дано"))
    given_by = models.CharField(_("кем дано (как подписано)"), max_length=300)
    withdrawn_on = models.DateField(_("отозвано"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("согласие на обработку персональных данных")
        verbose_name_plural = _("согласия на обработку персональных данных")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["school", "pupil"])]

    def __str__(self):
        return f"{self.pupil} {self.given_on:%d.%m.%Y}"

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class PupilUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Pupil, on_delete=models.CASCADE)


class ParentLink(models.Model):
    """A parent (законный представитель) of a pupil. Several of each are allowed."""

    class Kind(models.TextChoices):
        MOTHER = "mother", _("мать")
        FATHER = "father", _("отец")
        GUARDIAN = "guardian", _("законный представитель")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_links")
    kind = models.CharField(
        _("кем приходится"), max_length=10, choices=Kind.choices, default=Kind.GUARDIAN
    )
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("связь родитель — ребёнок")
        verbose_name_plural = _("связи родитель — ребёнок")
        constraints = [
            models.UniqueConstraint(fields=["parent", "pupil"], name="one_link_per_parent_pupil")
        ]

    def __str__(self):
        return f"{self.parent} → {self.pupil}"


# Access codes: a readable alphabet without look-alikes (0/O, 1/l/I).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LEN = 3, 4


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def hash_code(raw: str) -> str:
    return salted_hmac("accounts.AccessCode", normalize_code(raw), algorithm="sha256").hexdigest()


def generate_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LEN))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


class AccessCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def with_status(self, status: str):
        """Filter by AccessCode.Status in SQL; an unknown status leaves the list whole."""
        unused = {"used_at__isnull": True, "revoked_at__isnull": True}
        filters = {
            "active": {**unused, "expires_at__gt": timezone.now()},
            "used": {"used_at__isnull": False},
            "revoked": {"used_at__isnull": True, "revoked_at__isnull": False},
            "expired": {**unused, "expires_at__lte": timezone.now()},
        }
        return self.filter(**filters[status]) if status in filters else self


class AccessCode(models.Model):
    """A single-use invitation for one role. Only its hash is stored."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("действует")
        USED = "used", _("использован")
        REVOKED = "revoked", _("отозван")
        EXPIRED = "expired", _("истёк")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="access_codes")
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("последние знаки"), max_length=4, editable=False)
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_codes",
        verbose_name=_("обучающийся"),
    )
    intended_for = models.CharField(_("для кого"), max_length=300, blank=True)
    # A parent's code names the parent it is for (each parent gets their own code): who they
    # are to the pupil; redeeming it makes that parent's link.
    parent_kind = models.CharField(
        _("кем приходится"), max_length=10, choices=ParentLink.Kind.choices, blank=True
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"))
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(AccessCodeQuerySet)
    )

    class Meta:
        verbose_name = _("код доступа")
        verbose_name_plural = _("коды доступа")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "role", "created_at"])]

    def __str__(self):
        return f"…{self.hint} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.used_at:
            return self.Status.USED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def get_status_display(self):
        return self.Status(self.status).label

    @classmethod
    def issue(
        cls, *, school, role, created_by, pupil=None, intended_for="", parent_kind="", days=None
    ):
        """Create a code; returns (code, raw). The raw code is shown once and never stored."""
        raw = generate_code()
        days = days or school.regulation.access_code_days
        code = cls.objects.create(
            school=school,
            role=role,
            pupil=pupil,
            intended_for=intended_for,
            parent_kind=parent_kind if role == Role.PARENT else "",
            code_hash=hash_code(raw),
            hint=normalize_code(raw)[-4:],
            created_by=created_by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return code, raw

    @property
    def parent_kind_display(self) -> str:
        return ParentLink.Kind(self.parent_kind).label if self.parent_kind else ""


class FamilyAccessEnd(models.Model):
    """The school ended one person's access to one pupil's diary: whose, who ended it, when,
    why. Kept, never changed: the pupil's card lists them; a new code may follow."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="access_ends")
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("чей доступ")
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    parent_kind = models.CharField(
        _("кем приходится"), max_length=10, choices=ParentLink.Kind.choices, blank=True
    )
    reason = models.CharField(_("причина"), max_length=500)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("кто закрыл")
    )
    ended_at = models.DateTimeField(_("когда"), auto_now_add=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("закрытие доступа семьи")
        verbose_name_plural = _("закрытия доступа семей")
        ordering = ["-ended_at", "-pk"]
        indexes = [models.Index(fields=["school", "pupil"])]

    def __str__(self):
        return f"{self.user} → {self.pupil} ({self.ended_at:%d.%m.%Y})"


class LoginEvent(models.Model):
    """One sign-in, failed attempt or entry into a school, for the user's and the school's
    history.

    A sign-in is made for no school in particular (one account may hold roles in several), so
    the school a person works in is recorded when they first enter it in a session: that
    entry is what the school's administrator sees, with its address and browser — never the
    person's sign-ins to, or entries into, another school. A failed attempt is shown to the
    school only when the account belongs to that school alone.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_events")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["school", "-at"])]

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        """«Chrome 120, Windows 10/11»: the browser and the system, not the raw string."""
        return describe_agent(self.user_agent)


class FormSubmission(models.Model):
    """A form that was sent, by its one-time token (accounts/once.py): a second send of the
    same form — a double click, a browser's retry — finds it and creates nothing more."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token


# The school's regulation is a model of this app kept in its own module.
# The record of who read personal data, append-only, in its own module too; organisations
# above schools (a college and its branches) in theirs.
from .organisations import Organisation, OrganisationMembership  # noqa: E402, F401
from .personal_data_access import AppendOnly, PersonalDataAccess  # noqa: E402, F401
from .regulation import Regulation  # noqa: E402, F401
