"""Classes and the people in them: the class page, movement of pupils, subgroups, codes."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from guardian.shortcuts import get_objects_for_user

from accounts.access_log import Action, record
from accounts.code_slips import code_slips_response
from accounts.mixins import SchoolPermissionMixin
from accounts.models import AccessCode, Consent, ParentLink, Pupil, Role
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from accounts.rules import grant_is_live
from accounts.services import revoke_code
from lib.dates import BadDate, parse_day

from ..forms import (
    ClassCodesForm,
    EnrolForm,
    MoveForm,
    SchoolClassForm,
    SplitForm,
    SubgroupTransferForm,
)
from ..models import (
    Course,
    CourseTeacher,
    Enrolment,
    PracticePeriod,
    SchoolClass,
    SchoolYear,
    Subgroup,
    SubgroupMembership,
    Subject,
    held_on,
)
from ..rules import is_manager, leads_class
from ..services import people
from ..services.codes import issue_class_codes
from ..services.years import chosen_year


def form_errors(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


class ClassListView(SchoolPermissionMixin, View):
    permission = "schedule.view_classes"

    def get(self, request):
        year, years = chosen_year(request)
        today = request.school.today()
        present = held_on(today, "enrolments__")
        classes = (
            SchoolClass.objects.filter(year=year)
            .select_related("class_teacher", "bell_schedule")
            .annotate(pupil_count=Count("enrolments", filter=present))
        )
        if not request.user.has_perm("accounts.view_school_wide", request.school):
            # A class teacher sees the classes they lead, found through their object permission.
            classes = (
                get_objects_for_user(
                    request.user, "schedule.manage_class", classes, accept_global_perms=False
                )
                if grant_is_live(request.user, "schedule.manage_class", request.school)
                else classes.none()
            )
        return render(
            request,
            "schedule/class_list.html",
            {
                "classes": classes,
                "year": year,
                "years": years,
                "can_manage": request.user.has_perm("schedule.manage_classes", request.school),
                "can_import": request.user.has_perm("schedule.import_people", request.school),
            },
        )


class ClassPermissionMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.school_class = get_object_or_404(
            SchoolClass.objects.select_related("class_teacher", "year", "bell_schedule"),
            pk=self.kwargs["pk"],
        )
        return self.school_class


def current_pupils(school_class):
    today = school_class.school.today()
    enrolled = Enrolment.objects.current(today).filter(school_class=school_class).values("pupil_id")
    return Pupil.objects.filter(pk__in=enrolled).select_related("user")


def class_day(school_class):
    """Today, kept inside the class's year (a past year's class is shown as it ended)."""
    today = school_class.school.today()
    year = school_class.year
    return min(max(today, year.start), year.end)


def courses_of(classes):
    """Courses of classes with subject, subgroup and teachers: three queries in all."""
    assignments = CourseTeacher.objects.select_related("teacher").order_by(
        "teacher__last_name", "teacher__first_name"
    )
    return (
        Course.objects.filter(school_class__in=classes)
        .select_related("subject", "subgroup", "school_class")
        .prefetch_related(Prefetch("course_teachers", queryset=assignments))
        .order_by("school_class__grade", "school_class__letter", "subject__name", "subgroup__name")
    )


class ClassView(ClassPermissionMixin, View):
    """The class page: pupils with personal data and parents, subgroups, courses.

    A fixed number of queries, whatever the size of the class.
    """

    permission = "schedule.view_class"

    def get(self, request, pk):
        school_class = self.school_class
        day = class_day(school_class)
        enrolled = Enrolment.objects.on(day).filter(school_class=school_class).values("pupil_id")
        pupils = list(
            Pupil.objects.filter(pk__in=enrolled)
            .select_related("user")
            # Whether the pupil's own data may be processed (152-ФЗ): the class teacher sees
            # who has not given consent.
            .annotate(
                has_consent=Exists(
                    Consent.objects.filter(
                        pupil=OuterRef("pk"), parent__isnull=True, withdrawn_on__isnull=True
                    )
                )
            )
            .prefetch_related(
                Prefetch("parent_links", queryset=ParentLink.objects.select_related("parent"))
            )
        )
        what = _("Класс %(name)s: обучающиеся, их даты рождения, телефоны и родители")
        record(request, Action.VIEW, what % {"name": school_class.name}, records=len(pupils))
        subgroups = list(
            Subgroup.objects.filter(school_class=school_class).select_related("subject")
        )
        members = people.subgroup_members_on(subgroups, day)
        for group in subgroups:
            group.members = members[group.pk]
        courses = list(courses_of([school_class]))
        practice = list(
            PracticePeriod.objects.filter(school_class=school_class)
            .select_related("place", "supervisor")
            .order_by("start")
        )
        user = request.user
        return render(
            request,
            "schedule/class_detail.html",
            {
                "school_class": school_class,
                "day": day,
                "pupils": pupils,
                "subgroups": subgroups,
                "courses": courses,
                "practice": practice,
                "hours_total": people.curriculum_hours(courses),
                "can_issue_codes": user.has_perm("schedule.issue_class_codes", school_class),
                # The cards (personal data, parents' contacts, the family's access) of the
                # pupils in the class now: a past year's class teacher no longer reads them.
                "can_open_cards": day == request.school.today()
                and (
                    user.has_perm("accounts.view_personal_data", request.school)
                    or user.has_perm("schedule.issue_class_codes", school_class)
                ),
                "can_manage": user.has_perm("schedule.manage_classes", request.school),
                "can_view_history": user.has_perm("schedule.view_movement", school_class),
                "can_view_timetable": user.has_perm("schedule.view_class_timetable", school_class),
            },
        )


class ClassFormMixin(SchoolPermissionMixin):
    permission = "schedule.manage_classes"
    template_name = "schedule/class_form.html"

    def save(self, form):
        if form.is_valid():
            form.instance.school = self.request.school
            try:
                school_class = people.save_class(form.instance, no_marks=form.no_marks())
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(self.request, _("Класс сохранён."))
                return redirect(
                    school_reverse(self.request.school, "schedule:class", pk=school_class.pk)
                )
        return render(
            self.request,
            self.template_name,
            {"form": form, "school_class": getattr(self, "school_class", None)},
            status=400,
        )


class ClassCreateView(ClassFormMixin, SubmitOnceMixin, View):
    def get(self, request):
        year = SchoolYear.objects.current(request.school.today()) or SchoolYear.objects.first()
        form = SchoolClassForm(school=request.school, initial={"year": year})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        return self.save(SchoolClassForm(request.POST, school=request.school))


class ClassEditView(ClassPermissionMixin, ClassFormMixin, View):
    permission = "schedule.manage_classes"

    def get(self, request, pk):
        form = SchoolClassForm(instance=self.school_class, school=request.school)
        return render(
            request, self.template_name, {"form": form, "school_class": self.school_class}
        )

    def post(self, request, pk):
        return self.save(
            SchoolClassForm(request.POST, instance=self.school_class, school=request.school)
        )


# Movement of pupils.


class ClassMovementView(ClassPermissionMixin, View):
    """Every arrival, transfer and departure of the class, current pupils first."""

    permission = "schedule.view_movement"

    def get(self, request, pk):
        enrolments = (
            Enrolment.objects.filter(school_class=self.school_class)
            .select_related("pupil")
            .order_by("end", "pupil__last_name", "pupil__first_name", "start")
        )
        current, past = [], []
        for enrolment in enrolments:
            (current if enrolment.end is None else past).append(enrolment)
        return render(
            request,
            "schedule/class_movement.html",
            {
                "school_class": self.school_class,
                "current": current,
                "past": sorted(past, key=lambda e: e.end, reverse=True),
                "can_record": request.user.has_perm("schedule.record_movement", self.school_class),
            },
        )


class EnrolView(ClassPermissionMixin, SubmitOnceMixin, View):
    """Arrival of a pupil in the class: someone from the school's list, or a new record."""

    permission = "schedule.record_movement"
    template_name = "schedule/enrol_form.html"

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "school_class": self.school_class},
            status=status,
        )

    def get(self, request, pk):
        return self.page(EnrolForm(initial={"day": class_day(self.school_class)}))

    def post(self, request, pk):
        form = EnrolForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                pupil = data["pupil"] or Pupil.objects.create(
                    school=request.school,
                    last_name=data["last_name"].strip(),
                    first_name=data["first_name"].strip(),
                    patronymic=data["patronymic"].strip(),
                    birth_date=data["birth_date"],
                )
                people.enrol(
                    pupil,
                    self.school_class,
                    data["day"],
                    order_number=data["order_number"],
                    note=data["note"],
                )
        except ValidationError as error:
            form_errors(form, error)
            return self.page(form, status=400)
        messages.success(
            request,
            _("%(pupil)s зачислен(а) в класс %(cls)s.")
            % {"pupil": pupil.full_name, "cls": self.school_class.name},
        )
        return redirect(school_reverse(request.school, "schedule:class_movement", pk=pk))


class EnrolmentMoveView(SchoolPermissionMixin, View):
    """Departure or transfer of one pupil, from their current enrolment."""

    permission = "schedule.record_movement"
    template_name = "schedule/enrolment_move.html"

    def get_permission_object(self):
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("pupil", "school_class__year"),
            pk=self.kwargs["pk"],
            end__isnull=True,
        )
        return self.enrolment

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "enrolment": self.enrolment},
            status=status,
        )

    def get(self, request, pk):
        return self.page(MoveForm(enrolment=self.enrolment, initial={"kind": "transfer"}))

    def post(self, request, pk):
        form = MoveForm(request.POST, enrolment=self.enrolment)
        if not form.is_valid():
            return self.page(form, status=400)
        data = form.cleaned_data
        try:
            if data["kind"] == "transfer":
                people.transfer(
                    self.enrolment,
                    data["to_class"],
                    data["day"],
                    order_number=data["order_number"],
                    note=data["note"],
                )
                text = _("%(pupil)s переведён(а) в класс %(cls)s.") % {
                    "pupil": self.enrolment.pupil.full_name,
                    "cls": data["to_class"].name,
                }
            else:
                people.depart(
                    self.enrolment,
                    data["day"],
                    order_number=data["order_number"],
                    note=data["note"],
                )
                text = _("Выбытие %(pupil)s оформлено.") % {"pupil": self.enrolment.pupil.full_name}
        except ValidationError as error:
            form_errors(form, error)
            return self.page(form, status=400)
        messages.success(request, text)
        return redirect(
            school_reverse(
                request.school, "schedule:class_movement", pk=self.enrolment.school_class_id
            )
        )


class PupilHistoryView(SchoolPermissionMixin, View):
    """A pupil's classes over the years, and their subgroups: the whole movement history."""

    permission = "schedule.view_pupil_history"

    def get_permission_object(self):
        self.pupil = get_object_or_404(Pupil, pk=self.kwargs["pk"])
        return self.pupil

    def get(self, request, pk):
        enrolments = (
            Enrolment.objects.filter(pupil=self.pupil)
            .select_related("school_class__year")
            .order_by("start")
        )
        places = (
            SubgroupMembership.objects.filter(pupil=self.pupil)
            .select_related("subgroup__subject", "subgroup__school_class")
            .order_by("start")
        )
        return render(
            request,
            "schedule/pupil_history.html",
            {
                "pupil": self.pupil,
                "enrolments": enrolments,
                "places": places,
                "can_see_record": request.user.has_perm("accounts.view_personal_data", self.pupil),
            },
        )


# Subgroups.


def subjects_for(user, school_class):
    """Subjects whose subgroups the user may divide in this class.

    The class teacher, the administrator and the deputy: any; a subject teacher: the
    subjects they teach in the class.
    """
    if is_manager.test(user, school_class) or leads_class.test(user, school_class):
        return Subject.objects.all()
    taught = CourseTeacher.objects.filter(teacher=user, course__school_class=school_class)
    return Subject.objects.filter(pk__in=taught.values("course__subject_id"))


class ClassSubgroupsView(ClassPermissionMixin, View):
    permission = "schedule.view_subgroups"

    def get(self, request, pk):
        day = parse_day(request.GET.get("day"), class_day(self.school_class))
        subgroups = list(
            Subgroup.objects.filter(school_class=self.school_class).select_related("subject")
        )
        members = people.subgroup_members_on(subgroups, day)
        by_subject = defaultdict(list)
        for group in subgroups:
            group.members = members[group.pk]
            by_subject[group.subject].append(group)
        can_manage = request.user.has_perm("schedule.manage_subgroups", self.school_class)
        return render(
            request,
            "schedule/class_subgroups.html",
            {
                "school_class": self.school_class,
                "day": day,
                "by_subject": sorted(by_subject.items(), key=lambda i: i[0].name),
                "can_manage": can_manage,
                # A teacher of the class reads its subgroups, not the class's own page.
                "can_view_class": request.user.has_perm("schedule.view_class", self.school_class),
                "subjects": subjects_for(request.user, self.school_class) if can_manage else [],
            },
        )


class SubgroupSplitView(ClassPermissionMixin, SubmitOnceMixin, View):
    """Divide the class into subgroups for a subject, all pupils in one form."""

    permission = "schedule.manage_subgroups"
    template_name = "schedule/subgroup_split.html"

    def setup_subject(self, request):
        subjects = subjects_for(request.user, self.school_class)
        raw = request.POST.get("subject") or request.GET.get("subject") or ""
        self.subject = subjects.filter(pk=raw).first() if raw.isdigit() else None
        return subjects

    def default_day(self):
        """The next start of a study period (when moves are allowed), else today."""
        today = class_day(self.school_class)
        return next((s for s in people.period_starts(self.school_class) if s >= today), today)

    def build_form(self, data=None):
        day = self.default_day()
        groups = list(Subgroup.objects.filter(school_class=self.school_class, subject=self.subject))
        names = [g.name for g in groups] or [_("1 группа"), _("2 группа")]
        if data is not None:
            posted = [n.strip() for n in data.get("names", "").split(",") if n.strip()]
            names = posted or names
        try:
            raw_day = parse_day((data or {}).get("day"), day)
        except BadDate:
            raw_day = day  # the form refuses it with its message; the pupils of the default day
        pupils = people.pupils_on(self.school_class, raw_day)
        form = SplitForm(data, pupils=pupils, names=names, day=day)
        if data is None:
            current = SubgroupMembership.objects.on(day).filter(subgroup__in=groups)
            group_names = {g.pk: g.name for g in groups}
            for place in current:
                field = form.fields.get(f"pupil_{place.pupil_id}")
                if field is not None:
                    field.initial = group_names[place.subgroup_id]
        return form

    def page(self, form, subjects, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "school_class": self.school_class,
                "subject": self.subject,
                "subjects": subjects,
                "form": form,
            },
            status=status,
        )

    def get(self, request, pk):
        subjects = self.setup_subject(request)
        form = self.build_form() if self.subject else None
        return self.page(form, subjects)

    def post(self, request, pk):
        subjects = self.setup_subject(request)
        if self.subject is None:
            messages.error(request, _("Выберите предмет."))
            return self.page(None, subjects, status=400)
        form = self.build_form(request.POST)
        if not form.is_valid():
            return self.page(form, subjects, status=400)
        try:
            changed = people.split_class(
                self.school_class,
                self.subject,
                form.assignment(),
                form.cleaned_data["day"],
                names=form.cleaned_data["names"],
            )
        except ValidationError as error:
            form_errors(form, error)
            return self.page(form, subjects, status=400)
        messages.success(request, _("Подгруппы сохранены (изменений: %(n)s).") % {"n": changed})
        return redirect(school_reverse(request.school, "schedule:class_subgroups", pk=pk))


class SubgroupTransferView(ClassPermissionMixin, View):
    """Move one pupil to another subgroup: at a period start, or on a parent's request."""

    permission = "schedule.manage_subgroups"
    template_name = "schedule/subgroup_transfer.html"

    def build_form(self, data=None):
        subjects = subjects_for(self.request.user, self.school_class)
        return SubgroupTransferForm(
            data,
            initial={"day": class_day(self.school_class)},
            pupils=current_pupils(self.school_class),
            subgroups=Subgroup.objects.filter(
                school_class=self.school_class, subject__in=subjects
            ).select_related("subject"),
        )

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "school_class": self.school_class,
                "form": form,
                "period_starts": people.period_starts(self.school_class),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(self.build_form())

    def post(self, request, pk):
        form = self.build_form(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        data = form.cleaned_data
        try:
            people.transfer_between_subgroups(
                data["pupil"],
                data["subgroup"],
                data["day"],
                parent_request=data["parent_request"],
                parent_request_date=data["parent_request_date"],
            )
        except ValidationError as error:
            form_errors(form, error)
            return self.page(form, status=400)
        messages.success(
            request,
            _("%(pupil)s переведён(а) в подгруппу «%(group)s».")
            % {"pupil": data["pupil"].full_name, "group": data["subgroup"].name},
        )
        return redirect(school_reverse(request.school, "schedule:class_subgroups", pk=pk))


# Parents' and pupils' access codes.


class ClassCodesView(ClassPermissionMixin, SubmitOnceMixin, View):
    """Parents' and pupils' codes of one class; issuing prints a sheet of slips at once."""

    permission = "schedule.issue_class_codes"

    def page(self, form, status=200):
        pupils = current_pupils(self.school_class)
        codes = (
            AccessCode.objects.filter(pupil__in=pupils)
            .select_related("pupil", "used_by")
            .order_by("pupil__last_name", "pupil__first_name", "role", "-created_at")
        )
        return render(
            self.request,
            "schedule/class_codes.html",
            {
                "school_class": self.school_class,
                "codes": codes,
                "form": form,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(ClassCodesForm())

    def post(self, request, pk):
        form = ClassCodesForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        slips = issue_class_codes(
            self.school_class,
            current_pupils(self.school_class),
            form.cleaned_data["roles"],
            created_by=request.user,
            parent_kinds=form.cleaned_data["parent_kinds"],
            only_missing=form.cleaned_data["only_missing"],
        )
        if not slips:
            messages.info(request, _("У всех обучающихся класса уже есть действующие коды."))
            return redirect(school_reverse(request.school, "schedule:class_codes", pk=pk))
        what = _("Листки с кодами доступа, класс %(name)s (%(output)s)")
        what %= {"name": self.school_class.name, "output": form.cleaned_data["output"].upper()}
        record(request, Action.EXPORT, what, records=len(slips))
        name = self.school_class.name
        title = _("Коды доступа: %(name)s") % {"name": name}
        back = school_reverse(request.school, "schedule:class_codes", pk=pk)
        return code_slips_response(
            request,
            slips,
            title=title,
            place=name,
            back_url=back,
            pdf=form.cleaned_data["output"] == "pdf",
            filename=f"codes-{self.school_class.pk}.pdf",
        )


class RevokeClassCodeView(ClassPermissionMixin, View):
    permission = "schedule.issue_class_codes"

    def post(self, request, pk, code_pk):
        pupils = current_pupils(self.school_class)
        code = get_object_or_404(
            AccessCode.objects.filter(pupil__in=pupils, role__in=[Role.PARENT, Role.PUPIL]),
            pk=code_pk,
        )
        revoke_code(code, request.user)
        messages.success(request, _("Код отозван."))
        return redirect(school_reverse(request.school, "schedule:class_codes", pk=pk))
