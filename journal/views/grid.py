"""The journal page of a course: the marks and attendance grid, one cell at a time or whole.

- GridView shows a course and a study period (read-only for whoever does not keep it);
- CellView saves one typed cell at once (the page's script posts each cell as it is left);
- GridSaveView saves the whole grid posted as a plain form, for browsers without scripts.
"""

from datetime import date, datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import badge_keys, prefetch_badges, school_reverse
from accounts.rules import LEADERSHIP
from accounts.words import words_for
from grading.rules import course_with_grants
from grading.services import marks as mark_service
from grading.services.entry import ChangedMeanwhile, LockedError
from lib.dates import parse_day
from lib.forms import ReasonForm
from schedule.models import Course, Lesson
from schedule.versions import (
    cached_for_course,
    cached_for_frame,
    course_page_keys,
    keep_for_course,
)

from ..services import attendance as attendance_service
from ..services import cells as cell_service
from ..services import grid as grid_service
from ..services import grid_form
from ..services.cells import NotInLesson
from .grid_html import blank_grid, render_grid, render_topics


def _span(request) -> tuple[date, date] | None:
    """The page's period, as the grid's script sends it, for the row's new average."""
    try:
        start = parse_day(request.POST.get("from"))
        end = parse_day(request.POST.get("to"))
    except ValueError:
        return None
    return (start, end) if start and end and start <= end else None


def _moment(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _day(value) -> date | None:
    """?on= — a date in the sane range (lib.dates), or None; BadDate answers 400."""
    return parse_day(value)


def _extra_columns(values) -> list[tuple[int, int]]:
    """?add=<lesson>:<work type> — columns the teacher adds before typing into them."""
    found = []
    for value in values:
        lesson, _sep, work_type = (value or "").partition(":")
        if lesson.isdigit() and work_type.isdigit():
            found.append((int(lesson), int(work_type)))
    return found


CSRF_MARK = "<!--csrf-->"
# Where the grid and the time it was built at go into the page's kept shell (escaped text
# never holds a comment's «<!--»).
GRID_MARK, BUILT_MARK = "<!--grid-->", "<!--built-->"
PAGE_LIFETIME = 24 * 60 * 60  # the day is in the key; a page outlives it by nothing useful


class CourseGridMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        # The bare course with the user's grants, in one cheap query: on a cached page this is
        # the only query of the view.
        self.course = course_with_grants(self.kwargs["pk"], self.request.school, self.request.user)
        if self.course is None:
            raise Http404
        return self.course

    def full_course(self):
        """The course with its class, subject, subgroup and year, for building the grid."""
        bare = self.course
        if not hasattr(bare, "_full"):
            course = get_object_or_404(
                Course.objects.select_related("school_class", "subject", "subgroup", "year"),
                pk=bare.pk,
            )
            course.school = self.request.school
            for name in ("_perm_user", "_perm_teach", "_perm_lead", "_perm_sub"):
                setattr(course, name, getattr(bare, name))
            bare._full = course
        return bare._full

    def build(self, params):
        try:
            return grid_service.build_grid(
                self.full_course(),
                self.request.user,
                period_pk=_int(params.get("period")),
                on=_day(params.get("on")),
                extra=_extra_columns(
                    [*params.getlist("add"), f"{params.get('add_lesson')}:{params.get('add_type')}"]
                ),
                school=self.request.school,
            )
        except LookupError:
            raise Http404 from None

    def grid_url(self, grid, **params):
        url = school_reverse(self.request.school, "journal:grid", pk=self.course.pk)
        if grid.period.pk:
            params.setdefault("period", grid.period.pk)
        return f"{url}?{urlencode(params)}" if params else url

    def page_key(self, params) -> str | None:
        """The cache key of the page as these parameters ask for it, or None to build it anew.

        What the page shows depends on the course's records (their version, checked by
        schedule.versions), on whether the user keeps the whole course or only reads it, on
        the school's day (locks, future lessons, the default period) and on the language.
        A substitute keeps only some of the lessons, and added columns are one teacher's:
        such pages are not shared.
        """
        course, school = self.course, self.request.school
        if params.getlist("add") or params.get("add_lesson"):
            return None
        if course._perm_teach:
            scope = "keeps"
        elif course._perm_sub:
            return None
        else:
            scope = "reads"
        today = school.today()
        period, on = _int(params.get("period")), _day(params.get("on"))
        parts = (course.pk, scope, today, get_language(), period or "", on or "")
        return "journal:grid:" + ":".join(map(str, parts))

    def only_substitutes(self) -> bool:
        course, request = self.course, self.request
        if course._perm_teach or course._perm_lead or request.user.is_superuser:
            return False
        return not (set(request.school_roles) & set(LEADERSHIP))

    def content(self, grid, *, errors=None, shell=None, blank=None) -> dict:
        """The page's own part, rendered once and cut where each request puts its CSRF token.
        `shell`: the same rendered beforehand without the grid and its time (`render_shell`),
        which only they are put in; `blank`: the grid laid out empty (grid_html.blank_grid)."""
        if shell is None:
            shell = self.render_shell(grid, errors=errors)
        html = shell.replace(BUILT_MARK, grid.built_at.isoformat(), 1)
        html = html.replace(GRID_MARK, render_grid(grid, errors=errors, blank=blank), 1)
        before, mark, after = html.partition(CSRF_MARK)
        return {"title": str(grid.course), "before": before, "after": after if mark else None}

    def render_shell(self, grid, *, errors=None) -> str:
        """The page's own part but for its grid (GRID_MARK) and the time it was built at
        (BUILT_MARK): what marks and attendance leave as it is (kept with the frame)."""
        school, course = self.request.school, grid.course
        lessons = grid.lessons
        cell_url = school_reverse(school, "journal:cell", pk=0, pupil_pk=0)
        only_grid = self.only_substitutes()
        history_url = school_reverse(school, "journal:cell_history", pk=0, pupil_pk=0)
        context = {
            "school": school,
            "words": words_for(school),  # rendered without the request's context processors
            "course": course,
            "grid": grid,
            "grid_html": mark_safe(GRID_MARK),
            "shown_at": mark_safe(BUILT_MARK),
            "error_list": _error_list(grid, errors or {}),
            "periods": [
                {
                    "name": p.name,
                    "url": school_reverse(school, "journal:grid", pk=course.pk)
                    + (f"?period={p.pk}" if p.pk else ""),
                    "current": p is grid.period,
                }
                for p in grid.periods
            ],
            "save_url": school_reverse(school, "journal:grid_save", pk=course.pk),
            "cell_url": cell_url.replace("/0/pupils/0/", "/{l}/pupils/{p}/"),
            "history_url": history_url.replace("/0/pupils/0/", "/{l}/pupils/{p}/"),
            "topics_html": render_topics(
                lessons,
                lesson_url=school_reverse(school, "journal:lesson", pk=0).replace("/0/", "/{pk}/"),
                linked=(
                    (lambda lesson: lesson.substitute_id == self.request.user.pk)
                    if only_grid
                    else None
                ),
            ),
            # Numbers and dates only: nothing to escape.
            "lesson_options": mark_safe(
                "".join(
                    f'<option value="{lesson.pk}">{lesson.date:%d.%m}</option>'
                    for lesson in lessons
                    if lesson.pk in grid.editable
                )
            ),
            "work_types": grid.work_types.active if grid.gives_marks else [],
            "has_locked": any(
                grid.is_locked(lesson) for lesson in lessons if lesson.pk in grid.editable
            ),
            "csrf_mark": mark_safe(CSRF_MARK),
            # A substitute reads the grid of the lessons they held, not the course's other
            # pages (such pages are never shared in the cache: page_key).
            "only_grid": only_grid,
        }
        return render_to_string("journal/grid_content.html", context)

    def respond(self, content: dict, *, status=200):
        return render(
            self.request,
            "journal/grid.html",
            {
                "title": content["title"],
                "before": mark_safe(content["before"]),
                "after": None if content["after"] is None else mark_safe(content["after"]),
            },
            status=status,
        )


def _error_list(grid, errors):
    rows, found = {r.pupil.pk: r.pupil for r in grid.rows}, []
    for name, (typed, message) in errors.items():
        key = grid_form.parse_name(name)
        if key is None:
            continue
        column = grid.column(key[0], key[2])
        pupil = rows.get(key[1])
        if column and pupil:
            found.append(
                {
                    "pupil": pupil,
                    "date": column.lesson.date,
                    "typed": typed,
                    "message": message,
                }
            )
    return sorted(found, key=lambda e: (e["date"], e["pupil"].last_name))


class GridView(CourseGridMixin, View):
    permission = "journal.view_grid"

    def get(self, request, pk):
        key, school = self.page_key(request.GET), request.school
        if key is None:
            return self.respond(self.content(self.build(request.GET)))
        # One round trip for the page, its frame, their versions and the layout's badges.
        frame_key = "journal:grid-frame:" + key.removeprefix("journal:grid:")
        badges = badge_keys(school.pk, request.user.pk)
        found = cache.get_many(
            {*course_page_keys(school.pk, self.course.pk), key, frame_key, *badges.values()}
        )
        prefetch_badges(request, found)
        version, content = cached_for_course(key, school.pk, self.course.pk, found)
        if content is None:
            grid, shell, blank = self.framed(request.GET, frame_key, found)
            content = self.content(grid, shell=shell, blank=blank)
            keep_for_course(key, version, content, PAGE_LIFETIME, compress=False)
        return self.respond(content)

    def framed(self, params, frame_key: str, found: dict):
        """The grid in its frame — the course, its periods, lessons, pupils, the lessons the
        user may write in — kept apart under the course's frame token (schedule.versions),
        which a mark or an absence leaves: the first view after one reads only the marks
        and attendance (two queries in one round trip) instead of building the page whole."""
        school, bare = self.request.school, self.course
        version, kept = cached_for_frame(frame_key, school.pk, bare.pk, found)
        if kept is None:
            course = self.full_course()
            try:
                frame = grid_service.grid_frame(
                    course,
                    self.request.user,
                    period_pk=_int(params.get("period")),
                    on=_day(params.get("on")),
                    school=school,
                )
            except LookupError:
                raise Http404 from None
            grid = grid_service.fill_grid(frame, course)
            shell, blank = self.render_shell(grid), blank_grid(grid)
            course.__dict__.pop("_full", None)
            course._state.fields_cache.pop("school", None)
            kept = (course, frame.detach(), shell, blank)
            keep_for_course(frame_key, version, kept, PAGE_LIFETIME)
            course.school = school
            frame.attach(course, school)  # the grid's lessons are the frame's
            return grid, shell, blank
        # (A frame kept before its blank grid was kept too has none: it is laid out anew.)
        course, frame, shell, *blank = kept
        # The viewer's grants on the course, as course_with_grants found them.
        for name in ("_perm_user", "_perm_teach", "_perm_lead", "_perm_sub"):
            setattr(course, name, getattr(bare, name))
        course.school = school
        bare._full = course
        grid = grid_service.fill_grid(frame.attach(course, school), course)
        return grid, shell, (blank or [None])[0]


class GridSaveView(CourseGridMixin, View):
    """The grid posted as a plain form: valid cells are saved, the others shown with errors."""

    permission = "journal.edit_grid"

    def post(self, request, pk):
        grid = self.build(request.POST)
        data = request.POST
        reason, refused = ReasonForm.read(data)
        if refused:
            # Saved without it: open cells are kept, locked ones ask for a reason again, and
            # what was typed stays in them.
            data = data.copy()
            data["reason"] = reason
            messages.error(request, refused)
        result = grid_form.save_grid_form(
            grid, data, user=request.user, shown_at=_moment(request.POST.get("shown_at"))
        )
        if result.errors or refused:
            if result.saved or result.requested:
                messages.info(
                    request,
                    _("Сохранено клеток: %(n)s. Исправьте отмеченные.") % {"n": result.saved},
                )
            return self.respond(
                self.content(self.build(request.POST), errors=result.errors), status=400
            )
        if result.saved:
            messages.success(request, _("Сохранено клеток: %(n)s.") % {"n": result.saved})
        if result.requested:
            messages.info(
                request,
                _("Исправлений отправлено на согласование: %(n)s.") % {"n": result.requested},
            )
        if not (result.saved or result.requested):
            messages.info(request, _("Изменений нет."))
        return redirect(self.grid_url(grid))


class CellView(SchoolPermissionMixin, View):
    """One cell, saved as it is typed: answers JSON for the page's script."""

    permission = "journal.edit_cell"

    def get_permission_object(self):
        request, school = self.request, self.request.school
        self.types = mark_service.work_types(school)
        column = _int(request.POST.get("column"))
        if column is None:
            kind = (
                Lesson.objects.filter(pk=self.kwargs["pk"]).values_list("kind", flat=True).first()
            )
            if kind is None:
                raise Http404
            column = self.types.main_for(kind).id
        self.work_type = self.types.get(column)
        if self.work_type is None:
            raise Http404
        self.lesson = cell_service.load_cell(
            self.kwargs["pk"], self.kwargs["pupil_pk"], column, request.user, span=_span(request)
        )
        if self.lesson is None:
            raise Http404
        self.lesson.school = school
        self.lesson.course.school = school
        return self.lesson

    def post(self, request, pk, pupil_pk):
        raw = request.POST.get("value", "")
        reason, refused = ReasonForm.read(request.POST)
        if refused:
            return JsonResponse({"ok": False, "error": refused}, status=400)
        try:
            result = cell_service.save_cell(
                self.lesson,
                pupil_pk,
                self.work_type,
                raw,
                user=request.user,
                reason=reason,
                types=self.types,
                expected=request.POST.get("expected"),
            )
        except NotInLesson:
            raise Http404 from None
        except ChangedMeanwhile as error:
            lesson = self.lesson
            return JsonResponse(
                {
                    "ok": False,
                    "changed": True,
                    "error": error.messages[0],
                    "text": cell_service.display(
                        mark_service.live_value(lesson.cell_mark),
                        attendance_service.live_state(lesson.cell_seen),
                    ),
                },
                status=409,
            )
        except LockedError as error:
            return JsonResponse(
                {"ok": False, "locked": True, "error": error.messages[0]}, status=409
            )
        except ValidationError as error:
            return JsonResponse({"ok": False, "error": error.messages[0]}, status=400)
        except IntegrityError:
            return JsonResponse(
                {"ok": False, "error": _("Клетку только что изменили: обновите страницу.")},
                status=409,
            )
        return JsonResponse(
            {
                "ok": True,
                "status": result.status,
                "text": result.text,
                "message": result.message,
                "average": result.average,
            },
            status=202 if result.status == "requested" else 200,
        )
