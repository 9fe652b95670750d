"""Итоги успеваемости against a small school worked out by hand (tests/reports/hand_school.py
holds the table of marks and the figures computed from it)."""

import io
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.navigation import school_reverse
from grading.models import FinalMark, Mark, WorkType
from reports.params import period_span, year_span
from reports.services.progress import CURRENT, class_progress, course_progress
from reports.services.progress_tables import course_report, progress_report
from reports.services.scope import Selection, own_period

from .counting import queries_of
from .hand_school import final, grow, lesson

pytestmark = pytest.mark.django_db


def figures(tally) -> dict:
    keys = [
        "counted",
        "attested",
        "excellent",
        "good",
        "one_four",
        "three",
        "one_three",
        "failing_1",
        "failing_2",
        "failing_more",
        "na",
        "exempt",
        "none",
    ]
    return {
        "at_start": tally.at_start,
        "at_end": tally.at_end,
        **{k: tally.count(k) for k in keys},
        "success": tally.success,
        "quality": tally.quality,
        "sou": tally.sou,
        "average": tally.average,
    }


def progress(hand, span=None, **kwargs):
    with scopes_disabled():
        return class_progress(
            Selection(hand.school, hand.year), span or period_span(hand.q2), **kwargs
        )


def item_of(found, school_class):
    return next(c for c in found.classes if c.school_class.pk == school_class.pk)


def test_the_second_quarter_of_5a_gives_the_figures_worked_out_by_hand(hand):
    fifth = item_of(progress(hand), hand.fifth)
    assert figures(fifth.current) == {
        "at_start": 12,  # Максим still in, Нина not yet
        "at_end": 12,  # Максим gone, Нина in
        "counted": 11,  # less Кирилл, exempt from everything
        "attested": 10,  # less Иван («н/а»)
        "excellent": 2,  # Аня; Лена (exempt from PE only)
        "good": 3,
        "one_four": 2,  # Борис, Нина
        "three": 2,
        "one_three": 1,  # Глеб
        "failing_1": 1,
        "failing_2": 1,
        "failing_more": 1,
        "na": 1,  # Иван, though he has a «2» too
        "exempt": 1,
        "none": 0,
        "success": Decimal("63.6"),  # 7 / 11
        "quality": Decimal("45.5"),  # 5 / 11
        "sou": Decimal("47.2"),  # 519 / 11
        "average": Decimal("3.79"),  # 125 / 33
    }
    assert fifth.current.missing == 0


def test_the_previous_quarter_stands_beside_it(hand):
    fifth = item_of(progress(hand), hand.fifth)
    assert fifth.previous == hand.q1
    before = figures(fifth.before)
    assert (before["at_start"], before["at_end"], before["counted"]) == (12, 12, 11)
    assert (before["good"], before["exempt"], before["quality"], before["sou"]) == (
        11,
        1,
        Decimal("100.0"),
        Decimal("64.0"),
    )


def test_a_leaver_counts_at_the_start_only_and_his_mark_is_not_counted(hand):
    fifth = item_of(progress(hand), hand.fifth)
    maxim, nina = hand.pupils["Максим"].pk, hand.pupils["Нина"].pk
    assert maxim in fifth.at_start and maxim not in fifth.at_end
    assert nina in fifth.at_end and nina not in fifth.at_start
    # Максим's «2» in mathematics (set before he left) is in no figure.
    assert maxim not in fifth.results
    assert fifth.current.count("failing_1") == 1


def test_a_first_grade_class_has_its_pupils_but_no_figures_and_is_not_in_n(hand):
    found = progress(hand)
    first = item_of(found, hand.first)
    assert (first.current.at_start, first.current.at_end, first.current.n) == (3, 3, 0)
    assert first.current.no_marks and first.current.success is None
    total = found.total
    assert total.at_end == 12 + 3 + 2  # 5А, 1А, 10А
    assert total.n == 11 + 2  # 5А's N and 10А's two pupils (marks missing); not 1А


def test_a_senior_class_is_counted_by_its_own_semester(hand):
    found = progress(hand)
    tenth = item_of(found, hand.tenth)
    assert tenth.period == hand.s1  # the semester holding the second quarter's end
    assert (tenth.current.missing, tenth.current.count("none")) == (2, 2)
    assert found.own_periods == {"10А": hand.s1}
    # The first quarter ends inside the first semester too.
    with scopes_disabled():
        periods = list(hand.year.periods.all())
    assert own_period(periods, 10, hand.q1) == hand.s1
    assert own_period(periods, 5, hand.s1) == hand.q2
    report = progress_report(found)
    assert any("10А — 1 полугодие (семестр)" in note for note in report.footnotes)


def test_missing_period_marks_are_said_and_current_averages_can_stand_in(hand):
    with scopes_disabled():
        FinalMark.objects.filter(
            pupil=hand.pupils["Нина"], course=hand.courses["pe"], period=hand.q2
        ).delete()
        # Нина's PE in the second quarter: 3, 3, 4 → 3.33 → «3».
        work = WorkType.objects.get(school=hand.school, lesson_kind="lesson")
        for n, value in enumerate("334"):
            mark = Mark(
                school=hand.school,
                lesson=lesson(hand, "pe", hand.q2.start.replace(day=18 + n), 1),
                pupil=hand.pupils["Нина"],
                work_type=work,
                author=hand.teachers["russian"],
            )
            mark.set_value(value)
            mark.save()
    final_only = item_of(progress(hand), hand.fifth).current
    assert (final_only.missing, final_only.unmarked_pupils) == (1, 1)
    # On the set marks alone Нина (4, 5) is still a хорошистка.
    assert final_only.count("good") == 3
    estimated = item_of(progress(hand, basis=CURRENT), hand.fifth).current
    assert (estimated.missing, estimated.estimated) == (1, 1)
    # With her current PE average proposing «3», she has exactly one «3».
    assert (estimated.count("good"), estimated.count("one_three")) == (2, 2)
    report = progress_report(progress(hand, basis=CURRENT))
    # The whole school: Нина's PE, and 10А's two pupils with no marks yet («н/а»).
    assert report.notices[0].startswith(
        "Итоговые отметки за период выставлены не все: не хватает 3 отметок из"
    )
    assert "по текущему среднему баллу (3 отметки)" in report.notices[1]


def test_the_year_counts_year_marks(hand):
    for name, value in (("Аня", "5"), ("Борис", "4"), ("Зоя", "2")):
        final(hand, name, "math", None, value, kind=FinalMark.Kind.YEAR)
    with scopes_disabled():
        fifth = item_of(progress(hand, year_span(hand.year)), hand.fifth)
    assert fifth.period is None and fifth.previous is None
    tally = fifth.current
    assert (tally.count("excellent"), tally.count("good"), tally.count("failing_1")) == (1, 1, 1)
    # Only three of the year's marks are set: everyone else is «без отметок» (Кирилл too:
    # no «осв.» for the year yet, so he is in N).
    assert tally.n == 12 and tally.count("none") == 12 - 3 and tally.missing > 0


def test_by_subject_one_mark_is_one_pupil(hand):
    with scopes_disabled():
        found, courses = course_progress(Selection(hand.school, hand.year), period_span(hand.q2))
    pe = next(c for c in courses if c.course_id == hand.courses["pe"].pk).current
    # PE: 12 pupils due a mark, Кирилл and Лена exempt → N = 10; «5» ×5, «4» ×3, «3», «2».
    assert (pe.at_end, pe.count("exempt"), pe.n) == (12, 2, 10)
    assert (pe.count("excellent"), pe.count("good"), pe.count("three")) == (5, 3, 1)
    assert pe.count("failing") == 1
    assert (pe.success, pe.quality, pe.sou, pe.average) == (
        Decimal("90.0"),
        Decimal("80.0"),
        Decimal("74.4"),  # (500 + 192 + 36 + 16) / 10
        Decimal("4.20"),
    )
    english = next(c for c in courses if c.course_id == hand.courses["english"].pk).current
    assert (english.at_end, english.n, english.count("excellent")) == (2, 2, 1)


def test_by_teacher_a_teacher_has_their_courses_and_a_total(hand):
    with scopes_disabled():
        found, courses = course_progress(
            Selection(hand.school, hand.year, "teacher", hand.teachers["russian"].pk),
            period_span(hand.q2),
        )
        names = {hand.teachers["russian"].pk: "Словесникова О."}
        report = course_report(found, courses, by="teacher", names=names)
    assert {c.course_id for c in courses} == {hand.courses["russian"].pk, hand.courses["pe"].pk}
    assert [r.values["name"] for r in report.rows] == [
        "Словесникова О.",
        "5А",
        "5А",
        "Итого: Словесникова О.",
    ]
    assert [r.values.get("other") for r in report.rows[1:3]] == [
        "Русский язык",
        "Физическая культура",
    ]
    total = report.rows[-1].values
    # Русский язык: N 11; PE: N 10.
    assert (total["c_at_end"], total["c_counted"]) == (24, 21)


def page(client, user, name, **query):
    client.force_login(user)
    return client.get(school_reverse(user_school(user), f"reports:{name}"), query)


def user_school(user):
    with scopes_disabled():
        return user.memberships.first().school


def test_every_count_links_to_the_list_of_those_pupils(client, hand, deputy):
    response = page(
        client, deputy, "progress", year=hand.year.pk, span=f"period:{hand.q2.pk}", scope="school"
    )
    assert response.status_code == 200
    html = response.content.decode()
    url = school_reverse(hand.school, "reports:progress_pupils")
    link = (
        f"{url}?year={hand.year.pk}&amp;span=period%3A{hand.q2.pk}&amp;scope=class%3A"
        f"{hand.fifth.pk}&amp;category=one_four"
    )
    assert f'<a href="{link}">2</a>' in html
    listed = page(
        client,
        deputy,
        "progress_pupils",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
        category="failing_2",
    )
    text = listed.content.decode()
    assert (
        "Жаннава Жанна" in text and "Математика: 2; Русский язык: 2; Физическая культура: 3" in text
    )
    for category, names in (
        ("one_four", ["Борисва Борис", "Нинова Нина"]),
        ("exempt", ["Кириллва Кирилл"]),
        ("at_start", ["Максимва Максим"]),
        ("na", ["Иванва Иван"]),
    ):
        listed = page(
            client,
            deputy,
            "progress_pupils",
            year=hand.year.pk,
            span=f"period:{hand.q2.pk}",
            scope=f"class:{hand.fifth.pk}",
            category=category,
        )
        for name in names:
            assert name in listed.content.decode(), (category, name)


def test_the_xlsx_holds_the_figures_as_numbers_cell_by_cell(client, hand, deputy):
    response = page(
        client,
        deputy,
        "progress",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
        format="xlsx",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Итоги успеваемости"
    assert sheet["A2"].value == f"Организация: {hand.school.name}"
    assert sheet["A3"].value == "Учебный год: 2025/2026"
    assert sheet["A4"].value == "Период: 2 четверть (1–9 кл.)"
    assert sheet["A5"].value == "Охват: класс 5А"
    groups = [c.value for c in sheet[7]]
    heads = [c.value for c in sheet[8]]
    assert heads[:5] == ["Класс", "2 ч.", "1 ч.", "2 ч.", "1 ч."]
    assert groups[1] == "На начало" and groups[3] == "На конец"
    # A heading is written over the first of its columns: the next one takes it from there.
    row = {
        f"{groups[i] or groups[i - 1]}|{heads[i]}": cell for i, cell in enumerate(sheet[9]) if i > 0
    }
    assert sheet["A9"].value == "5А"
    expected = {
        "На начало|2 ч.": 12,
        "Учитываются (N)|2 ч.": 11,
        "Учитываются (N)|1 ч.": 11,
        "Отличники|2 ч.": 2,
        "Хорошисты|2 ч.": 3,
        "Хорошисты|1 ч.": 11,
        "Неуспев.: три и более|2 ч.": 1,
        "Не аттестованы|2 ч.": 1,
        "Освобождены|2 ч.": 1,
    }
    for key, value in expected.items():
        assert row[key].value == value and row[key].data_type == "n", key
    assert row["Успеваемость|2 ч."].value == pytest.approx(63.6)
    assert row["Успеваемость|2 ч."].number_format == '0.0" %"'
    assert row["СОУ|2 ч."].value == pytest.approx(47.2)
    assert row["СОУ|1 ч."].value == pytest.approx(64.0)
    assert row["Средний балл|2 ч."].value == pytest.approx(3.79)
    assert row["Средний балл|2 ч."].number_format == "0.00"
    notes = [r[0].value for r in sheet.iter_rows(min_row=10) if r[0].value]
    assert any(n.startswith("Успеваемость — доля обучающихся без «2» и «н/а»") for n in notes)
    assert any("СОУ = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n(н/а)) / N" in n for n in notes)
    assert any(n.startswith("Ведётся по документу: Положение") for n in notes)
    assert sheet.freeze_panes == "B9"


def test_the_pdf_reads_the_same_figures(client, hand, deputy):
    response = page(
        client,
        deputy,
        "progress",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
        format="pdf",
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\u00a0", " ")
    line = next(line for line in text.splitlines() if line.startswith("5А"))
    numbers = line.split()
    assert numbers[:5] == ["5А", "12", "12", "12", "12"]
    for figure in ("63,6 %", "45,5 %", "47,2 %", "3,79", "64,0 %"):
        assert figure in line, figure
    assert "Итоги успеваемости" in text and "Период: 2 четверть (1–9 кл.)" in text


def test_the_page_offers_current_averages_when_marks_are_missing(client, hand, deputy):
    with scopes_disabled():
        FinalMark.objects.filter(pupil=hand.pupils["Аня"], period=hand.q2).delete()
    response = page(
        client,
        deputy,
        "progress",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
    )
    html = response.content.decode()
    assert (
        "Итоговые отметки за период выставлены не все: не хватает 4 отметок из 38 у 1 "
        "обучающегося (5А)." in html
    )
    assert "Построить по текущим средним" in html and "basis=current" in html
    estimated = page(
        client,
        deputy,
        "progress",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
        basis="current",
    )
    text = estimated.content.decode()
    assert "Предварительно: где итоговой отметки нет" in text
    assert "Основа: итоговые, а где их нет — текущие средние (предварительно)" in text
    assert "Построить по текущим средним" not in text


def test_a_pupil_named_as_a_formula_stays_text_in_the_xlsx_and_csv(client, hand, deputy):
    with scopes_disabled():
        pupil = hand.pupils["Зоя"]
        pupil.last_name = '=HYPERLINK("http://evil.example","x")'
        pupil.save()
    response = page(
        client,
        deputy,
        "progress_pupils",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
        category="failing_more",
        format="xlsx",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)
    assert cells[0].value.startswith('=HYPERLINK("http://evil.example","x") Зоя')
    csv_text = page(
        client,
        deputy,
        "progress_pupils",
        year=hand.year.pk,
        span=f"period:{hand.q2.pk}",
        scope=f"class:{hand.fifth.pk}",
        category="failing_more",
        format="csv",
    ).content.decode("utf-8-sig")
    assert ';"\'=HYPERLINK(""http://evil.example""' in csv_text
    ledger = page(
        client, deputy, "ledger", year=hand.year.pk, scope=f"class:{hand.fifth.pk}", format="xlsx"
    )
    sheet = load_workbook(io.BytesIO(ledger.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def count_page(client, user, name, *, cached=False, **query):
    client.force_login(user)
    url = school_reverse(user_school(user), f"reports:{name}")
    return queries_of(client, url, query, cached=cached)


@pytest.mark.parametrize(
    "name,extra",
    [
        ("progress", {}),
        ("progress", {"basis": "current"}),
        ("progress_subjects", {}),
        ("progress_teachers", {}),
        ("progress_pupils", {"category": "good"}),
        ("class_report", {}),
    ],
)
def test_a_progress_page_costs_the_same_queries_at_two_sizes(client, hand, deputy, name, extra):
    scope = "school" if name != "class_report" else f"class:{hand.fifth.pk}"
    query = {"name": name, "year": hand.year.pk, "span": f"period:{hand.q2.pk}", "scope": scope}
    query.update(extra)
    count_page(client, deputy, **query)  # the session, the caches
    small = count_page(client, deputy, **query)
    hit = count_page(client, deputy, cached=True, **query)
    grow(hand, 4)
    large = count_page(client, deputy, **query)
    assert small == large
    assert small <= 40
    # Read again, the table comes from the cache: what is left is the parameters and form.
    assert count_page(client, deputy, cached=True, **query) == hit < small
