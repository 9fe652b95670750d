"""The regulation in plain Russian: what each rule means with the school's own values.

«Положение об ЭЖ» shows this sentence beside each field, so an administrator sees what a number
does before saving it, and the director and deputy read the rules as a text.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.words import count

from .regulation import Regulation

SECTIONS = [
    (gettext_lazy("Документ"), ["title", "order_number", "order_date"]),
    (
        gettext_lazy("Уроки"),
        ["records_days", "homework_rule", "homework_time", "homework_minutes"],
    ),
    (
        gettext_lazy("Отметки"),
        [
            "written_work_days",
            "monitoring_days",
            "min_mark_days_per_week",
            "no_marks_grades",
            "credit_scale",
        ],
    ),
    (
        gettext_lazy("Контроль ведения журнала"),
        [
            "control_hour",
            "marks_per_pupil_week",
            "few_marks_days_left",
            "plan_lag_hours",
            "correction_wait_days",
            "risk_absences_per_week",
            "risk_notify_parents",
        ],
    ),
    (
        gettext_lazy("Закрытие записей"),
        ["lock_marks_days", "lock_attendance_days", "lock_topics_days"],
    ),
    (
        gettext_lazy("Итоговые отметки"),
        ["final_marks_days", "min_marks_for_period", "rounding", "final_marks_visible_days"],
    ),
    (
        gettext_lazy("Семьи и доступ"),
        ["access_code_days", "digest_enabled", "digest_weekday", "digest_hour"],
    ),
    (
        gettext_lazy("Учебный год"),
        ["plan_deadline_days", "year_opening_days", "year_check_days"],
    ),
    (
        gettext_lazy("Хранение документов"),
        [
            "retention_journal_years",
            "retention_ledger_years",
            "retention_graduation_years",
            "access_log_days",
        ],
    ),
]
# Every rule the page shows, in its order: the fields the administrator edits.
RULE_FIELDS = [name for _title, names in SECTIONS for name in names]


def days(n: int) -> str:
    return count(n, _("день"), _("дня"), _("дней"))


def years(n: int) -> str:
    return count(n, _("год"), _("года"), _("лет"))


def times(n: int) -> str:
    """«не реже 1 раза, 2 раз, 5 раз» (the genitive after «реже»)."""
    return count(n, _("раза"), _("раз"), _("раз"))


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(count(hours, _("час"), _("часа"), _("часов")))
    if rest or not hours:
        parts.append(count(rest, _("минуту"), _("минуты"), _("минут")))
    return " ".join(parts)


def _homework(r: Regulation) -> str:
    if r.homework_rule == r.Homework.BY_TIME:
        rule = _("Домашнее задание вносится в день урока до %(time)s.") % {
            "time": r.homework_time.strftime("%H:%M")
        }
    elif r.homework_rule == r.Homework.BY_NEXT_LESSON:
        rule = _("Домашнее задание вносится до начала следующего урока по предмету.")
    else:
        rule = _(
            "Домашнее задание вносится не позднее чем через %(time)s после последнего урока "
            "класса в этот день."
        ) % {"time": duration(r.homework_minutes)}
    return rule + " " + _("Внесённое позже принимается и отмечается как внесённое с опозданием.")


def _lock(what: str, n: int) -> str:
    if n == 0:
        return _("%(what)s закрываются на следующий день после урока.") % {"what": what}
    return _(
        "%(what)s можно менять %(days)s после урока; потом изменение требует причины и "
        "согласования заместителя директора."
    ) % {"what": what, "days": days(n)}


def _finals_deadline(n: int) -> str:
    if n > 0:
        return _("Итоговые отметки выставляются не позднее чем за %(days)s до конца периода.") % {
            "days": days(n)
        }
    if n < 0:
        return _(
            "Итоговые отметки выставляются не позднее чем через %(days)s после конца периода."
        ) % {"days": days(-n)}
    return _("Итоговые отметки выставляются не позднее последнего дня периода.")


def _no_marks(r: Regulation) -> str:
    grades = sorted(r.no_marks_grade_set())
    if not grades:
        return _("Все классы учатся с отметками.")
    return _(
        "Без отметок учатся классы параллелей %(grades)s: в журнале посещаемость и темы, "
        "без отметок и домашних заданий."
    ) % {"grades": ", ".join(str(g) for g in grades)}


def explain(r: Regulation) -> dict[str, str]:
    """{field name: the rule it sets, in a sentence with the school's value}."""
    return {
        "title": _("Название документа печатается в отчётах и архивных документах."),
        "order_number": r.order_label or _("Номер и дата приказа пока не указаны."),
        "order_date": r.order_label or _("Номер и дата приказа пока не указаны."),
        "records_days": (
            _("Тема урока и посещаемость вносятся в день урока.")
            if r.records_days == 0
            else _("Тема урока и посещаемость вносятся не позднее чем через %(days)s после урока.")
            % {"days": days(r.records_days)}
        ),
        "homework_rule": _homework(r),
        "homework_time": _homework(r),
        "homework_minutes": _homework(r),
        "written_work_days": _(
            "Отметки за письменные работы (контрольные, самостоятельные, диктанты, изложения, "
            "сочинения, лабораторные и практические) выставляются в течение %(days)s."
        )
        % {"days": days(r.written_work_days)},
        "monitoring_days": _("Отметки за работы внутреннего мониторинга — в течение %(days)s.")
        % {"days": days(r.monitoring_days)},
        "min_mark_days_per_week": (
            _("Число дней с отметками в неделю не проверяется.")
            if r.min_mark_days_per_week == 0
            else _("По каждому курсу отметки ставятся не реже %(times)s в неделю.")
            % {"times": times(r.min_mark_days_per_week)}
        ),
        "no_marks_grades": _no_marks(r),
        "credit_scale": _("Зачёт выставляется: %(how)s.") % {"how": r.get_credit_scale_display()},
        "control_hour": _(
            "Каждый день в %(hour)s по времени школы журнал проверяется по срокам положения; "
            "недочёты видят учителя и заместитель директора."
        )
        % {"hour": r.get_control_hour_display()},
        "marks_per_pupil_week": _(
            "Норма накопляемости: не менее %(n)s отметки на обучающегося в неделю по курсу."
        )
        % {"n": str(r.marks_per_pupil_week).replace(".", ",")},
        "few_marks_days_left": _(
            "За %(days)s до конца периода учитель видит обучающихся, у которых меньше "
            "отметок, чем нужно для аттестации."
        )
        % {
            "days": count(
                r.few_marks_days_left, _("учебный день"), _("учебных дня"), _("учебных дней")
            )
        },
        "plan_lag_hours": (
            _("Любое отставание от КТП отмечается как недочёт.")
            if r.plan_lag_hours == 0
            else _("Отставание от КТП более чем на %(n)s ч отмечается как недочёт.")
            % {"n": r.plan_lag_hours}
        ),
        "correction_wait_days": _(
            "Запрос на исправление закрытой записи рассматривается в течение %(days)s."
        )
        % {"days": days(r.correction_wait_days)},
        "risk_absences_per_week": _(
            "Обучающийся попадает в группу риска, если за неделю пропустил без уважительной "
            "причины более %(n)s уроков или его средний балл ниже 3."
        )
        % {"n": r.risk_absences_per_week},
        "risk_notify_parents": (
            _("О попадании в группу риска узнают классный руководитель и родители.")
            if r.risk_notify_parents
            else _("О попадании в группу риска узнаёт классный руководитель.")
        ),
        "lock_marks_days": _lock(_("Отметки"), r.lock_marks_days),
        "lock_attendance_days": _lock(_("Записи посещаемости"), r.lock_attendance_days),
        "lock_topics_days": _lock(_("Темы уроков"), r.lock_topics_days),
        "final_marks_days": _finals_deadline(r.final_marks_days)
        + " "
        + _("Позже изменение требует согласования заместителя директора."),
        "min_marks_for_period": _(
            "Для отметки за период нужно не менее %(n)s текущих отметок; иначе — «н/а», если "
            "учитель не подтвердит отметку."
        )
        % {"n": r.min_marks_for_period},
        "rounding": _("Средний балл округляется так: %(rule)s.")
        % {"rule": r.get_rounding_display()},
        "final_marks_visible_days": _(
            "Итоговая отметка видна в дневнике сразу; уведомление семье уходит не позднее "
            "чем через %(days)s."
        )
        % {"days": days(max(1, r.final_marks_visible_days))},
        "access_code_days": _("Код доступа действует %(days)s после выдачи.")
        % {"days": days(r.access_code_days)},
        "digest_enabled": (
            _("Родители получают еженедельную сводку: %(day)s, %(hour)s по времени школы.")
            % {"day": r.get_digest_weekday_display(), "hour": r.get_digest_hour_display()}
            if r.digest_enabled
            else _("Еженедельная сводка родителям не рассылается.")
        ),
        "digest_weekday": _("День недели, когда уходит сводка."),
        "digest_hour": _("Час, когда уходит сводка (по времени школы)."),
        "plan_deadline_days": _(
            "Календарно-тематический план вносится не позднее чем за %(days)s до начала "
            "учебного года."
        )
        % {"days": days(r.plan_deadline_days)},
        "year_opening_days": _(
            "Администратору напоминают открыть новый учебный год за %(days)s до его начала."
        )
        % {"days": days(r.year_opening_days)},
        "year_check_days": _(
            "Заместитель директора проверяет разделы журнала в течение %(days)s после начала "
            "учебного года."
        )
        % {"days": days(r.year_check_days)},
        "retention_journal_years": _("Журналы хранятся %(years)s.")
        % {"years": years(r.retention_journal_years)},
        "retention_ledger_years": _("Сводные ведомости успеваемости хранятся %(years)s.")
        % {"years": years(r.retention_ledger_years)},
        "retention_graduation_years": _("Ведомости выпускников хранятся %(years)s.")
        % {"years": years(r.retention_graduation_years)},
        "access_log_days": _(
            "Записи о том, кто просматривал, выгружал и изменял персональные данные, хранятся "
            "%(days)s, затем удаляются."
        )
        % {"days": days(r.access_log_days)},
    }


def sections(r: Regulation, form=None) -> list[dict]:
    """The page's sections: each rule with its label, value (or form field) and sentence."""
    sentences = explain(r)
    result = []
    for title, names in SECTIONS:
        rules = []
        for name in names:
            field = r._meta.get_field(name)
            display = getattr(r, f"get_{name}_display", None)
            value = display() if display else getattr(r, name)
            rules.append(
                {
                    "name": name,
                    "label": field.verbose_name,
                    "value": value,
                    "field": form[name] if form is not None else None,
                    "sentence": sentences[name],
                }
            )
        result.append({"title": title, "rules": rules})
    return result
