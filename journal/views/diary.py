"""The diary of one pupil (read-only): the week, marks by subject, attendance, timetable.

Every page is about one pupil named in the URL. The pupil, the viewer's access to them and
the viewer's other children come in one query (diary.viewer_pupils); a pupil the viewer may
not read answers 404 — whatever the URL or its parameters — exactly like a missing one.
"""

from datetime import timedelta

from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import badge_keys, prefetch_badges, school_reverse
from accounts.words import words_for
from lib.dates import monday_of, parse_week
from lib.replica import from_primary
from schedule.models import SchoolYear
from schedule.services.periods import choose_period
from schedule.versions import cached_for_pupil, keep_for_pupil, pupil_page_keys, user_keys

from ..services import messaging
from ..services.diary.attendance import attendance
from ..services.diary.family import switcher
from ..services.diary.pupils import (
    children_of,
    course_ids_of,
    record_visit,
    viewer_key,
    viewer_pupils,
    visit_key,
)
from ..services.diary.subjects import subjects, year_periods
from ..services.diary.timetable import timetable
from ..services.diary.week import announcements_for
from ..services.diary.week import week as diary_week
from .diary_html import render_days, render_subjects

PAGE_LIFETIME = 24 * 60 * 60  # the day is in the key


class DiaryHomeView(SchoolPermissionMixin, View):
    """A family member's entry: straight to the (first) child's week."""

    permission = "journal.open_diary"
    replica_ok = True  # a second behind is fine for a family's reading (lib/replica.py)

    def get(self, request):
        children = children_of(request.user, request.school)
        if children:
            return HttpResponseRedirect(
                school_reverse(request.school, "journal:diary_week", pupil=children[0].pk)
            )
        return render(request, "journal/diary_empty.html", {})


class PupilDiaryMixin(SchoolPermissionMixin):
    permission = "journal.view_diary"
    # Read from a replica when there is one (lib/replica.py); what kept() keeps, from the
    # primary.
    replica_ok = True
    hide_forbidden = True
    template_name = ""
    tab = ""

    def span(self):
        """The dates the page is about (the class is the one the pupil was in then)."""
        today = self.request.school.today()
        return today, today

    def page_name(self) -> str | None:
        """The name of what the page keeps in the cache (`kept`), from the URL alone."""
        return None

    def get_permission_object(self):
        self.bad_input = None
        request = self.request
        school, user, pupil_id = request.school, request.user, self.kwargs["pupil"]
        try:
            self.start, self.end = self.span()
        except ValueError:
            # A malformed date: answered 400 once access is settled.
            self.bad_input = _("Неверная дата недели.")
            self.start = self.end = school.today()
        # One round trip to the cache for all a kept page needs: whom the viewer reads, the
        # page, its versions, the day's visit and the navigation's counts.
        viewer = viewer_key(user, pupil_id, self.start, self.end)
        name = None if self.bad_input else self.page_name()
        self.page_key = self.key_of(name) if name else None
        self.visit_key = visit_key(user, pupil_id, school.today())
        badges = badge_keys(school.pk, user.pk)
        self.badge_key = badges.get("messages")
        keys = {*user_keys(school.pk, user.pk), *pupil_page_keys(school.pk), viewer}
        keys.update((self.visit_key, *badges.values()))
        if self.page_key:
            keys.add(self.page_key)
        self.found = cache.get_many(keys)
        prefetch_badges(request, self.found)
        pupils, self.elsewhere = viewer_pupils(
            user, school, pupil_id, self.start, self.end, found=self.found
        )
        pupil = next((p for p in pupils if p.pk == pupil_id), None)
        if pupil is None:
            raise Http404
        self.pupil = pupil
        self.children = [p for p in pupils if p.viewer_family]
        return pupil

    def key_of(self, name: str) -> str:
        request = self.request
        pupil, today = self.kwargs["pupil"], request.school.today()
        return f"journal:diary:4:{name}:{pupil}:{today}:{get_language()}"

    def context(self, **extra):
        request = self.request
        badge = self.found.get(self.badge_key)
        tab_url = f"journal:diary_{self.tab}"
        # Switching children keeps the tab and the week, not the period (periods differ by
        # grade and school).
        keep_query = f"?week={self.monday.isoformat()}" if hasattr(self, "monday") else ""
        # A family member switches between all their children, in any school (one more
        # query only for a viewer with a child in another school).
        children = switcher(
            request.user,
            request.school,
            self.children,
            request.school.today(),
            elsewhere=bool(self.children) and self.elsewhere,
        )
        if badge is None:
            badge = messaging.refresh_badge(request.user, request.school)
            request.prefetched_badges["messages"] = badge
        return {
            "pupil": self.pupil,
            "school_class": self.pupil.school_class,
            "children": [
                {
                    "pk": child.pk,
                    "name": child.name,
                    "class_name": child.class_name,
                    "school_name": child.school_name,
                    "link": child.url(tab_url, keep_query),
                }
                for child in children
            ]
            if len(children) > 1
            else [],
            "tab": self.tab,
            "tab_url": tab_url,
            "unread_messages": badge,
            **extra,
        }

    def get(self, request, pupil):
        if self.bad_input:
            return render(
                request,
                "journal/diary_error.html",
                self.context(error=self.bad_input),
                status=400,
            )
        record_visit(request.user, self.pupil, seen=self.visit_key in self.found)
        return render(request, self.template_name, self.context(**self.data()))

    def data(self) -> dict:
        return {}

    def kept(self, span, build) -> dict:
        """What `build()` returns, kept in the cache per pupil, page (`page_name`), school
        day and language under the versions of the courses of the pupil's classes between
        the dates `span()` returns (and of the school and everything: schedule.versions),
        so any change the page shows — a mark, an absence, a lesson, its homework, a final
        mark, an enrolment, a period, the school's rules — builds it anew on the next view.
        What `build()` returns does not depend on the viewer: the viewer's part (their
        children, the unread badge) is added to it on every view."""
        pupil, school = self.pupil, self.request.school
        if self.page_key is None:
            return build()

        def course_ids():
            with from_primary():  # kept in the entry, as the page is: the primary's
                return course_ids_of(pupil, *span())

        stamp, value = cached_for_pupil(self.page_key, school.pk, self.found, course_ids)
        if value is None:
            # Kept under the version the primary's records are at now: built from them.
            with from_primary():
                value = build()
            keep_for_pupil(self.page_key, stamp, value, PAGE_LIFETIME)
        return value


class DiaryWeekView(PupilDiaryMixin, View):
    """The week: each day's lessons with topics, homework, marks, absences (kept per version)."""

    template_name = "journal/diary_week.html"
    tab = "week"

    def span(self):
        self.monday = parse_week(self.request.GET.get("week"), self.request.school.today())
        return self.monday, self.monday + timedelta(days=6)

    def page_name(self):
        return f"week:{self.monday.isoformat()}"

    def data(self):
        today = self.request.school.today()
        sunday = self.monday + timedelta(days=6)
        shown = self.kept(lambda: (self.monday, sunday), self.days)
        return {
            **shown,
            "days_html": mark_safe(shown["days_html"]),
            "monday": self.monday,
            "sunday": sunday,
            "previous": (self.monday - timedelta(days=7)).isoformat(),
            "next": (self.monday + timedelta(days=7)).isoformat(),
            "this_week": monday_of(today).isoformat(),
            "is_this_week": self.monday == monday_of(today),
        }

    def days(self) -> dict:
        days = diary_week(self.pupil, self.monday)
        school_class = self.pupil.school_class
        classes = [school_class.pk] if school_class else []
        # The days themselves (model rows) stay out of the cache: their HTML is the page.
        return {
            "days_html": str(render_days(days, self.request.school)),
            "days": _summary(days),
            # Of the school's day (in the key); any announcement's change drops the school's
            # version (journal/signals.py).
            "announcements": [
                {"title": item.title, "body": item.body}
                for item in announcements_for(classes, self.request.school.today())
            ],
        }


def _summary(days) -> list[dict]:
    """The week as plain data, light to keep: each day's lessons with their marks."""
    return [
        {
            "date": day["date"],
            "lessons": [
                {"lesson": item.lesson.pk, "marks": item.marks, "attendance": item.attendance}
                for item in day["lessons"]
            ],
        }
        for day in days
    ]


class DiaryPeriodMixin(PupilDiaryMixin):
    """Pages about a study period of the pupil's class (?period=<id>; the current one), in
    a past year too (?year=<id>: the class the pupil was in that year, a closed year read
    as it was kept)."""

    def span(self):
        wanted = self.request.GET.get("year", "")
        self.year = None
        if wanted:
            self.year = SchoolYear.objects.filter(pk=wanted).first() if wanted.isdigit() else None
            if self.year is None:
                raise Http404
            return self.year.start, self.year.end
        return super().span()

    def years(self) -> list:
        """The school years the pupil has been in a class of (one query)."""
        return list(
            SchoolYear.objects.filter(classes__enrolments__pupil_id=self.pupil.pk)
            .distinct()
            .order_by("-start")
        )

    @cached_property
    def periods(self) -> list:
        return year_periods(self.pupil)

    def frame(self) -> dict:
        """The periods of the pupil's year, the one shown (?period=, 404 if it is not one of
        them), the years to switch between and the one shown."""
        wanted = self.request.GET.get("period")
        period = choose_period(self.periods, pk=wanted, today=self.request.school.today())
        if wanted and period is None:
            raise Http404
        year = self.year or (self.pupil.school_class.year if self.pupil.school_class else None)
        return {
            "periods": self.periods,
            "period": period,
            "years": self.years(),
            "year": year,
            "year_query": f"&year={year.pk}" if self.year else "",
        }

    def shown(self) -> dict:
        """The page's data: the frame and what the page adds (data)."""
        return self.frame()

    def get(self, request, pupil):
        self.shown_data = self.shown()
        return super().get(request, pupil)

    def year_span(self):
        """The days of the pupil's year's periods (of today's class without any)."""
        if not self.periods:
            return self.start, self.end
        return min(p.start for p in self.periods), max(p.end for p in self.periods)


class DiaryMarksView(DiaryPeriodMixin, View):
    """Marks by subject for a period: every mark, the weighted average, final marks when set,
    the forecast; the periods and years with them. Kept per version: no query of its own
    when kept."""

    template_name = "journal/diary_marks.html"
    tab = "marks"

    def page_name(self):
        wanted = [self.request.GET.get(name, "") for name in ("period", "year")]
        if not all(value == "" or value.isdigit() for value in wanted):
            return None  # answered 404 (not one of the pupil's periods or years)
        return "marks:{}:{}".format(*wanted)

    def shown(self):
        def build():
            frame = self.frame()
            period = frame["period"]
            if period is None:
                return {**frame, "subjects": [], "subjects_html": ""}
            found = subjects(self.pupil, period)
            return {
                **frame,
                "subjects": found,
                "subjects_html": str(render_subjects(found, words_for(self.request.school))),
            }

        # Kept under the courses of the whole year: a final mark may come from a class the
        # pupil left during it.
        return self.kept(self.year_span, build)

    def data(self):
        return {**self.shown_data, "subjects_html": mark_safe(self.shown_data["subjects_html"])}


class DiaryAttendanceView(DiaryPeriodMixin, View):
    template_name = "journal/diary_attendance.html"
    tab = "attendance"

    def data(self):
        lines, total, records = ([], None, [])
        period = self.shown_data["period"]
        if period is not None:
            lines, total, records = attendance(self.pupil, period.start, period.end)
        return {
            **self.shown_data,
            "lines": lines,
            "total": total,
            "records": records,
        }


class DiaryTimetableView(PupilDiaryMixin, View):
    template_name = "journal/diary_timetable.html"
    tab = "timetable"

    def data(self):
        return {"timetable": timetable(self.pupil)}
