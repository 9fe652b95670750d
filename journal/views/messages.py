"""Messages, announcements and e-mail settings: pages for everyone in a school."""

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.models import STAFF_ROLES
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from accounts.rules import LEADERSHIP
from accounts.words import words_for
from lib.forms import Form, ModelForm
from schedule.models import SchoolClass, held_on

from ..models import Announcement, Message, NotificationSettings, Thread, ThreadParticipant
from ..services import messaging

# --- Forms ----------------------------------------------------------------------------------


class ComposeForm(Form):
    to = forms.ChoiceField(label=gettext_lazy("Кому"))
    subject = forms.CharField(label=gettext_lazy("Тема"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Сообщение"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for recipient in recipients:
            groups.setdefault(recipient.group, []).append((recipient.key, recipient.label))
        self.fields["to"].choices = [("", "—")] + list(groups.items())


class ReplyForm(Form):
    body = forms.CharField(
        label=gettext_lazy("Ответ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NotificationSettingsForm(ModelForm):
    class Meta:
        model = NotificationSettings
        fields = [
            "email_messages",
            "email_digest",
            "email_final_marks",
            "email_shortfalls",
            "email_control_summary",
            "email_risk",
        ]

    # The control's e-mails (reports/) concern some roles only: the others are not asked.
    FOR_ROLES = {
        "email_shortfalls": {"teacher", "class_teacher"},
        "email_control_summary": {"deputy", "director"},
        "email_risk": {"class_teacher", "parent"},
    }

    def __init__(self, *args, roles=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, wanted in self.FOR_ROLES.items():
            if not wanted & set(roles):
                del self.fields[name]


class AnnouncementForm(ModelForm):
    # Declared here: the default field would query the (scoped) classes at import time.
    school_class = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Класс")
    )

    class Meta:
        model = Announcement
        fields = ["school_class", "title", "body", "published_on", "visible_until"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visible_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, classes=None, whole_school=True, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["school_class"]
        field.label = words_for(school).Class
        field.queryset = classes
        field.required = not whole_school
        field.empty_label = _("Вся школа") if whole_school else None

    def clean(self):
        data = super().clean()
        start, end = data.get("published_on"), data.get("visible_until")
        if start and end and end < start:
            self.add_error("visible_until", _("Дата окончания раньше даты начала."))
        return data


# --- Messages -------------------------------------------------------------------------------


class MessageListView(SchoolPermissionMixin, View):
    permission = "journal.use_messages"

    def get(self, request):
        threads = messaging.threads_of(request.user, request.school)
        messaging.refresh_badge(request.user, request.school)
        return render(request, "journal/messages_list.html", {"threads": threads})


class ComposeView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "journal.use_messages"

    def form(self, data=None):
        recipients = messaging.allowed_recipients(self.request.user, self.request.school)
        initial = {"to": self.request.GET.get("to", "")}
        return ComposeForm(data, recipients=recipients, initial=initial)

    def get(self, request):
        return render(request, "journal/messages_compose.html", {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                thread = messaging.start_thread(
                    request.school,
                    request.user,
                    form.cleaned_data["to"],
                    form.cleaned_data["subject"],
                    form.cleaned_data["body"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                flash.success(request, _("Сообщение отправлено."))
                return HttpResponseRedirect(
                    school_reverse(request.school, "journal:thread", pk=thread.pk)
                )
        return render(request, "journal/messages_compose.html", {"form": form}, status=400)


class ThreadView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """One conversation; opening it marks it read. Another's thread answers 404."""

    permission = "journal.view_thread"
    hide_forbidden = True

    def get_permission_object(self):
        thread = get_object_or_404(
            Thread.objects.select_related("school_class", "pupil", "created_by"),
            pk=self.kwargs["pk"],
        )
        thread.viewer_participant = ThreadParticipant.objects.filter(
            thread=thread, user=self.request.user
        ).first()
        if thread.viewer_participant is None:
            del thread.viewer_participant
        self.thread = thread
        return thread

    def page(self, form, status=200):
        thread = self.thread
        participant = self.thread.viewer_participant
        items = list(
            Message.objects.filter(thread=thread).select_related("author").order_by("created_at")
        )
        was_unread = participant.unread
        messaging.mark_read(participant)
        if was_unread:
            messaging.refresh_badge(self.request.user, self.request.school)
        reply_to_author = None
        if thread.kind == Thread.Kind.CLASS and not participant.can_write:
            reply_to_author = f"u{thread.created_by_id}"
        return render(
            self.request,
            "journal/messages_thread.html",
            {
                "thread": thread,
                "items": items,
                "participant": participant,
                "form": form if participant.can_write else None,
                "reply_to_author": reply_to_author,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(ReplyForm())

    def post(self, request, pk):
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                messaging.post_message(self.thread, request.user, form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(
                    school_reverse(request.school, "journal:thread", pk=self.thread.pk) + "#last"
                )
        return self.page(form, status=400)


class NotificationSettingsView(SchoolPermissionMixin, View):
    permission = "journal.use_messages"

    def get(self, request):
        form = NotificationSettingsForm(
            instance=NotificationSettings.for_user(request.user), roles=request.school_roles
        )
        return render(request, "journal/messages_settings.html", {"form": form})

    def post(self, request):
        instance = NotificationSettings.for_user(request.user)
        form = NotificationSettingsForm(request.POST, instance=instance, roles=request.school_roles)
        if form.is_valid():
            form.save()
            flash.success(request, _("Настройки сохранены."))
            return HttpResponseRedirect(
                school_reverse(request.school, "journal:notification_settings")
            )
        return render(request, "journal/messages_settings.html", {"form": form}, status=400)


# --- Announcements --------------------------------------------------------------------------


def current_classes(school):
    today = school.today()
    return SchoolClass.objects.filter(held_on(today, "year__"), school=school).order_by(
        "grade", "letter"
    )


def publishable_classes(request):
    """The classes the user may address, and whether they may address the whole school."""
    classes = current_classes(request.school)
    if request.school_roles & set(LEADERSHIP):
        return classes, True
    return classes.filter(class_teacher=request.user), False


class AnnouncementListView(SchoolPermissionMixin, View):
    """Announcements meant for the user: the school's, and their classes' (staff: all)."""

    permission = "journal.view_announcements"

    def get(self, request):
        from ..services.diary.pupils import family_class_ids

        today = request.school.today()
        roles = request.school_roles
        items = Announcement.objects.select_related("school_class", "author")
        if roles & set(LEADERSHIP):
            items = items.filter(Q(withdrawn_at__isnull=True) | Q(author=request.user))
        elif roles & set(STAFF_ROLES):
            items = items.live(today) | items.filter(author=request.user)
        else:
            items = items.live(today).for_classes(family_class_ids(request.user, request.school))
        return render(
            request,
            "journal/announcement_list.html",
            {
                "items": items.order_by("-published_on", "-pk")[:100],
                "may_add": request.user.has_perm("journal.add_announcement", request.school),
                "today": today,
                "is_staff": bool(roles & set(STAFF_ROLES)),
                "is_leader": bool(roles & set(LEADERSHIP)),
            },
        )


class AnnouncementCreateView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "journal.add_announcement"

    def form(self, data=None):
        classes, whole = publishable_classes(self.request)
        return AnnouncementForm(
            data,
            classes=classes,
            whole_school=whole,
            school=self.request.school,
            initial={"published_on": self.request.school.today()},
        )

    def get(self, request):
        return render(request, "journal/announcement_form.html", {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            announcement = form.save(commit=False)
            announcement.school = request.school
            announcement.author = request.user
            announcement.save()
            flash.success(request, _("Объявление опубликовано."))
            return HttpResponseRedirect(school_reverse(request.school, "journal:announcements"))
        return render(request, "journal/announcement_form.html", {"form": form}, status=400)


class AnnouncementEditView(SchoolPermissionMixin, View):
    permission = "journal.change_announcement"

    def get_permission_object(self):
        self.announcement = get_object_or_404(Announcement, pk=self.kwargs["pk"])
        return self.announcement

    def form(self, data=None):
        classes, whole = publishable_classes(self.request)
        if self.announcement.school_class_id:
            classes = classes | current_classes(self.request.school).filter(
                pk=self.announcement.school_class_id
            )
        return AnnouncementForm(
            data,
            instance=self.announcement,
            classes=classes.distinct(),
            whole_school=whole,
            school=self.request.school,
        )

    def get(self, request, pk):
        return render(
            request,
            "journal/announcement_form.html",
            {"form": self.form(), "announcement": self.announcement},
        )

    def post(self, request, pk):
        form = self.form(request.POST)
        if form.is_valid():
            form.save()
            flash.success(request, _("Объявление сохранено."))
            return HttpResponseRedirect(school_reverse(request.school, "journal:announcements"))
        return render(
            request,
            "journal/announcement_form.html",
            {"form": form, "announcement": self.announcement},
            status=400,
        )


class AnnouncementWithdrawView(SchoolPermissionMixin, View):
    """Withdraw an announcement: hidden from families, kept for the record."""

    permission = "journal.change_announcement"

    def get_permission_object(self):
        self.announcement = get_object_or_404(Announcement, pk=self.kwargs["pk"])
        return self.announcement

    def post(self, request, pk):
        if self.announcement.withdrawn_at is None:
            self.announcement.withdrawn_at = timezone.now()
            self.announcement.save(update_fields=["withdrawn_at"])
        flash.success(request, _("Объявление снято."))
        return HttpResponseRedirect(school_reverse(request.school, "journal:announcements"))


__all__ = [
    "AnnouncementCreateView",
    "AnnouncementEditView",
    "AnnouncementListView",
    "AnnouncementWithdrawView",
    "ComposeView",
    "MessageListView",
    "NotificationSettingsView",
    "ThreadView",
]
