"""One way to show a report: a page with its parameters, the table, and its downloads.

A report page subclasses ReportPage: it names its parameters (which spans and scopes it
takes, and any `options` of its own) and builds a lib.export.Report from them — figures
aggregated in SQL, a fixed number of queries whatever the school's size. The page shows the
parameters as a form, the report as a sortable table readable on a phone, and links to the
same report as XLSX, CSV and PDF (`?format=xlsx`). The user's last choice of year, span and
scope on each page is remembered (reports.params); options are read from the link only.

Every document gets the school's name, the parameters and the school's regulation
(reports.services.documents.stamp) here, so a builder returns just its table.
"""

from dataclasses import dataclass

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from accounts.access_log import Action, record
from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.words import words_for
from lib.dates import MONTHS, BadDate
from lib.export import EXPORTERS, export_response, to_html
from lib.replica import from_primary
from schedule.models import SchoolClass, Subject
from schedule.services.people import teachers_of
from schedule.versions import cached_for_school, keep_for_course

from ..params import SCOPE_LABELS, NoYear, read_params
from ..services.documents import parallel_label, stamp
from ..services.scope import Selection

PAGE_LIFETIME = 24 * 60 * 60  # a day: a version outlives no change anyway


@dataclass(frozen=True)
class Option:
    """A page's own parameter (`?basis=current`, `?min=5`): choices, or a number in a range."""

    name: str
    label: str
    choices: tuple = ()  # ((value, label), …): the first is the default
    low: int | None = None  # a number from `low` to `high` (empty: none)
    high: int | None = None

    def read(self, raw):
        raw = (raw or "").strip()
        if self.choices:
            values = [value for value, _label in self.choices]
            if not raw:
                return values[0]
            if raw not in values:
                raise BadDate(
                    _("«%(value)s» — не вариант параметра «%(name)s».")
                    % {"value": raw[:20], "name": self.label},
                    code="report_option",
                )
            return raw
        if not raw:
            return None
        if not raw.isdigit() or not self.low <= int(raw) <= self.high:
            raise BadDate(
                _("«%(name)s»: ожидается число от %(low)s до %(high)s.")
                % {"name": self.label, "low": self.low, "high": self.high},
                code="report_option",
            )
        return int(raw)


class ReportPage(SchoolPermissionMixin, View):
    permission = "reports.view_reports"
    # Read from a replica when there is one (lib/replica.py); a cached table from the primary.
    replica_ok = True
    report_id = ""  # remembers the last choice; names the files
    title = ""
    college_title = ""  # the title in a college's words, when they differ (accounts.words)
    spans = ("period", "year")
    scopes = ("school", "parallel", "class")
    options: tuple[Option, ...] = ()
    # Kept in the cache per version of what it shows: only pages whose every source is
    # followed by schedule.versions (marks, final marks, attendance, lessons, courses and
    # their teachers, enrolments, periods, the regulation, names) and that do not depend on
    # the day.
    cached = False
    ended = False  # by default the last period over (results), not the current one
    template_name = "reports/report.html"
    # A report that names pupils (their marks, absences) holds personal data: shown or
    # downloaded, it is recorded (accounts.access_log, 152-ФЗ ст. 19).
    personal_data = False

    @classmethod
    def title_for(cls, school) -> str:
        """The page's title in `school`'s words."""
        return cls.college_title if cls.college_title and words_for(school).college else cls.title

    def build(self, params):
        """The lib.export.Report of these parameters."""
        raise NotImplementedError

    def cache_key_extra(self) -> str:
        """What else a cached page's table depends on besides the school's records (the
        control's: the school's day and the last check), joined to its key."""
        return ""

    def page_notes(self, params, report) -> list[tuple[str, str, str]]:
        """[(text, link label, address)] said on the page above the table (not printed)."""
        return []

    def get(self, request, **kwargs):
        self.chosen = {o.name: o.read(request.GET.get(o.name)) for o in self.options}
        try:
            params = read_params(
                request, self.report_id, spans=self.spans, scopes=self.scopes, ended=self.ended
            )
        except NoYear as no_year:
            context = {"title": self.title_for(request.school), "reason": no_year.messages[0]}
            return render(request, "reports/no_year.html", context)
        self.params = params
        wanted = request.GET.get("format")
        if wanted:
            if wanted not in EXPORTERS:
                return HttpResponseBadRequest(_("Неизвестный формат выгрузки."))
            report = self.document(params)
            self.record(Action.EXPORT, report.title, len(report.rows), wanted.upper())
            return export_response(report, wanted)
        self.report = None  # the Report, when this request built it (not from the cache)
        if not self.cached:
            return self.page(params, self.shown(params))
        # The table is the same for everyone who may see it: kept per version of the
        # school's records (schedule.versions), like the journal page per its course's.
        school = request.school
        key = f"report:{school.pk}:{self.report_id}:{params.query(**self.kept_options())}"
        key += self.cache_key_extra()
        version, shown = cached_for_school(key, school.pk)
        fresh = shown is None
        if fresh:
            with from_primary():  # kept under the primary's version: built from its records
                shown = self.shown(params)
        # The parameters' form depends on the user's reach (a class teacher is offered their
        # classes only) and on the same records: kept beside the table, one per reach, so a
        # page read from the cache asks for no classes, teachers or weeks.
        forms = shown.setdefault("forms", {})
        token = reach_token(params.reach)
        if token not in forms:
            with from_primary():
                choices = self.choices(params)
                forms[token] = {"choices": choices, "form": str(self.form(params, choices))}
            fresh = True
        if fresh:
            keep_for_course(key, version, shown, PAGE_LIFETIME)
        self.kept_form = forms[token]
        return self.page(params, shown)

    def page(self, params, shown):
        self.record(Action.VIEW, shown["title"], shown["records"], "")
        return render(self.request, self.template_name, self.context(params, shown))

    def record(self, action, title: str, records: int, output: str) -> None:
        if self.personal_data:
            what = _("Отчёт «%(title)s»") % {"title": title}
            what += f" ({output})" if output else ""
            record(self.request, action, what, records=records)

    def document(self, params):
        """The report of these parameters, with the school, parameters and regulation."""
        report = self.build(params)
        report.slug = self.report_id
        self.report = report
        return stamp(report, self.request.school, [*params.describe(), *self.describe_options()])

    def shown(self, params) -> dict:
        """What the page shows of its report (kept in the cache for a cached page)."""
        report = self.document(params)
        return {
            "table": str(to_html(report, caption=False)),
            "title": report.title,
            "records": len(report.rows),
            "school": report.school,
            "parameters": report.parameters,
            "notices": report.notices,
            "page_notes": self.page_notes(params, report),
        }

    # --- Helpers for builders -----------------------------------------------------------------

    @property
    def selection(self) -> Selection:
        return Selection.of(self.request.school, self.params)

    def option(self, name):
        return self.chosen[name]

    def kept_options(self) -> dict:
        """The options as the link carries them (for downloads and links to other views)."""
        return {
            o.name: self.chosen[o.name]
            for o in self.options
            if self.chosen[o.name] not in (None, "")
            and (not o.choices or self.chosen[o.name] != o.choices[0][0])
        }

    def describe_options(self) -> list[tuple[str, str]]:
        lines = []
        for o in self.options:
            value = self.chosen[o.name]
            if o.choices:
                if value != o.choices[0][0]:
                    lines.append((o.label, dict(o.choices)[value]))
            elif value is not None:
                lines.append((o.label, str(value)))
        return lines

    def address(self, url_name: str, **query) -> str:
        """Another report page of the school with this page's year (and `query`)."""
        base = school_reverse(self.request.school, url_name)
        return f"{base}?{urlencode({'year': self.params.year.pk, **query})}"

    def linker(self, url_name: str, **fixed):
        """A function (category, scope token, span token) → the address of a count's list:
        the base is reversed once, each link only formats its query."""
        base = school_reverse(self.request.school, url_name)
        year = self.params.year.pk
        fixed = {**self.kept_options(), **fixed}

        def link(category, scope, span):
            if not span:
                return None
            query = {"year": year, "span": span, "scope": scope, "category": category, **fixed}
            return f"{base}?{urlencode(query)}"

        return link

    # --- The page -----------------------------------------------------------------------------

    kept_form = None  # a cached page's form and its choices, for the user's reach

    def context(self, params, shown) -> dict:
        kept = self.kept_options()
        if self.kept_form is not None:
            choices, form = self.kept_form["choices"], mark_safe(self.kept_form["form"])
        else:
            choices = self.choices(params)
            form = self.form(params, choices)
        return {
            "title": self.title_for(self.request.school),
            "report": shown,
            "document": self.report,
            "table": mark_safe(shown["table"]),  # built by lib.export.to_html, escaped there
            "params": params,
            "choices": choices,
            "form": form,
            "page_notes": shown["page_notes"],
            "exports": [
                (exporter.label, f"?{params.query(format=key, **kept)}")
                for key, exporter in EXPORTERS.items()
            ],
        }

    def form(self, params, choices) -> str:
        """The parameters' form, joined as strings (a school's form lists every class and
        week: in the template language it cost more than the cached table it sits over)."""

        def select(name, label, items, chosen):
            options = "".join(
                f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
                f"{escape(text)}</option>"
                for value, text in items
            )
            return (
                f'<p><label for="id_{name}">{escape(label)}</label><br>'
                f'<select id="id_{name}" name="{name}">{options}</select></p>'
            )

        parts = [
            select("year", _("Учебный год"), choices["years"], str(params.year.pk)),
            select("span", _("Период"), choices["spans"], params.span.token),
        ]
        if len(choices["scopes"]) > 1:
            parts.append(select("scope", _("Охват"), choices["scopes"], params.scope.token))
        else:
            parts.append(f'<input type="hidden" name="scope" value="{escape(params.scope.token)}">')
        for o in self.options:
            value = "" if self.chosen[o.name] is None else str(self.chosen[o.name])
            if o.choices:
                parts.append(select(o.name, o.label, o.choices, value))
            else:
                parts.append(
                    f'<p><label for="id_{o.name}">{escape(o.label)}</label><br>'
                    f'<input id="id_{o.name}" name="{o.name}" type="number" min="{o.low}" '
                    f'max="{o.high}" value="{escape(value)}" inputmode="numeric" size="4"></p>'
                )
        parts.append(f'<p><button type="submit">{escape(_("Показать"))}</button></p>')
        return mark_safe("".join(parts))

    def choices(self, params) -> dict:
        """What the parameters' form offers, within the user's reach (a few queries)."""
        reach = params.reach
        spans = []
        if "period" in self.spans:
            spans += [(f"period:{p.pk}", f"{p} ({p.grades_label})") for p in params.periods]
        if "year" in self.spans:
            spans.append(("year", _("весь учебный год")))
        if "month" in self.spans:
            spans += [
                (f"month:{m:%Y-%m}", f"{MONTHS[m.month - 1]} {m.year}")
                for m in months_of(params.year)
            ]
        if "week" in self.spans:
            spans += weeks_of(params.year)
        classes = SchoolClass.objects.filter(year=params.year).order_by("grade", "letter")
        if not reach.whole_school:
            classes = classes.filter(pk__in=reach.class_ids)
        scopes = []
        if reach.whole_school and "school" in self.scopes:
            scopes.append(("school", str(SCOPE_LABELS["school"])))
        class_list = list(classes.only("pk", "grade", "letter"))
        if reach.whole_school and "parallel" in self.scopes:
            for grade in sorted({c.grade for c in class_list}):
                scopes.append((f"parallel:{grade}", parallel_label(grade)))
        if "class" in self.scopes:
            scopes += [
                (f"class:{c.pk}", _("класс %(name)s") % {"name": c.name}) for c in class_list
            ]
        if reach.whole_school and "subject" in self.scopes:
            scopes += [(f"subject:{s.pk}", s.name) for s in Subject.objects.order_by("name")]
        if "teacher" in self.scopes and (reach.whole_school or reach.teacher_id):
            teachers = teachers_of(self.request.school)
            if not reach.whole_school:
                teachers = teachers.filter(pk=reach.teacher_id)
            scopes += [(f"teacher:{t.pk}", t.short_name) for t in teachers]
        chosen = params.span.token
        if chosen not in {token for token, _label in spans}:
            spans.insert(0, (chosen, params.span.label))  # a week or month from a link
        return {
            "years": [(y.pk, y.name) for y in params.years],
            "spans": spans,
            "scopes": scopes,
        }


def reach_token(reach) -> str:
    """The user's reach as a key: the school, or the classes and the teacher's own courses."""
    if reach.whole_school:
        return "school"
    classes = ".".join(str(pk) for pk in sorted(reach.class_ids))
    return f"c{classes}:t{reach.teacher_id or ''}"


def months_of(year):
    """The first days of the months of a school year."""
    from datetime import date

    day = date(year.start.year, year.start.month, 1)
    found = []
    while day <= year.end:
        found.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found


def weeks_of(year) -> list[tuple[str, str]]:
    from datetime import timedelta

    from ..params import week_span

    day = year.start - timedelta(days=year.start.weekday())
    found = []
    while day <= year.end:
        span = week_span(day)
        found.append((span.token, span.label))
        day += timedelta(days=7)
    return found
