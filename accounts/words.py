"""The words a school's pages use for its people and units: a school says «класс», «ученик»,
«учитель»; a college (School.kind == college) says «группа», «студент», «преподаватель»,
«куратор», «курс», «семестр», «дисциплина» (issue 18).

One template serves both: a page asks `words_for(school)` (templates get it as `words`, from
accounts.context_processors) for a word by its key — `{{ words.Class }}`, `_("%(Class)s 5А")
% words_for(school)` — and gets the school's or the college's word, each through gettext with
its context («school» or «college»), so a translation can tell them apart. A key starting with
a capital gives the word that starts a sentence or a heading.
"""

from django.utils.translation import pgettext_lazy

# key → (the school's word, the college's word)
WORDS = {
    "class": (pgettext_lazy("school", "класс"), pgettext_lazy("college", "группа")),
    "Class": (pgettext_lazy("school", "Класс"), pgettext_lazy("college", "Группа")),
    "classes": (pgettext_lazy("school", "классы"), pgettext_lazy("college", "группы")),
    "Classes": (pgettext_lazy("school", "Классы"), pgettext_lazy("college", "Группы")),
    "of_class": (pgettext_lazy("school", "класса"), pgettext_lazy("college", "группы")),
    "of_classes": (pgettext_lazy("school", "классов"), pgettext_lazy("college", "групп")),
    "in_class": (pgettext_lazy("school", "в классе"), pgettext_lazy("college", "в группе")),
    "class_teacher": (
        pgettext_lazy("school", "классный руководитель"),
        pgettext_lazy("college", "куратор"),
    ),
    "Class_teacher": (
        pgettext_lazy("school", "Классный руководитель"),
        pgettext_lazy("college", "Куратор"),
    ),
    "Class_teachers": (
        pgettext_lazy("school", "Классные руководители"),
        pgettext_lazy("college", "Кураторы"),
    ),
    "teacher": (pgettext_lazy("school", "учитель"), pgettext_lazy("college", "преподаватель")),
    "by_teacher": (
        pgettext_lazy("school", "учителем"),
        pgettext_lazy("college", "преподавателем"),
    ),
    "Teacher": (pgettext_lazy("school", "Учитель"), pgettext_lazy("college", "Преподаватель")),
    "Teachers": (pgettext_lazy("school", "Учителя"), pgettext_lazy("college", "Преподаватели")),
    "pupil": (pgettext_lazy("school", "ученик"), pgettext_lazy("college", "студент")),
    "Pupil": (pgettext_lazy("school", "Ученик"), pgettext_lazy("college", "Студент")),
    "Pupils": (pgettext_lazy("school", "Ученики"), pgettext_lazy("college", "Студенты")),
    "of_pupils": (pgettext_lazy("school", "учеников"), pgettext_lazy("college", "студентов")),
    "grade": (pgettext_lazy("school", "параллель"), pgettext_lazy("college", "курс")),
    "Grade": (pgettext_lazy("school", "Параллель"), pgettext_lazy("college", "Курс")),
    "period": (pgettext_lazy("school", "четверть"), pgettext_lazy("college", "семестр")),
    "Period": (pgettext_lazy("school", "Четверть"), pgettext_lazy("college", "Семестр")),
    "subject": (pgettext_lazy("school", "предмет"), pgettext_lazy("college", "дисциплина")),
    # «по какому-либо предмету» / «по какой-либо дисциплине»
    "any_subject_dat": (
        pgettext_lazy("school", "какому-либо предмету"),
        pgettext_lazy("college", "какой-либо дисциплине"),
    ),
    "subjects": (pgettext_lazy("school", "предметы"), pgettext_lazy("college", "дисциплины")),
    "of_subjects": (pgettext_lazy("school", "предметов"), pgettext_lazy("college", "дисциплин")),
    "Subject": (pgettext_lazy("school", "Предмет"), pgettext_lazy("college", "Дисциплина")),
    "Subjects": (pgettext_lazy("school", "Предметы"), pgettext_lazy("college", "Дисциплины")),
    # «по …»: a report's «Итого по классу», «Успеваемость по предметам»
    "to_class": (pgettext_lazy("school", "по классу"), pgettext_lazy("college", "по группе")),
    "to_classes": (pgettext_lazy("school", "по классам"), pgettext_lazy("college", "по группам")),
    "to_subjects": (
        pgettext_lazy("school", "по предметам"),
        pgettext_lazy("college", "по дисциплинам"),
    ),
    "to_teachers": (
        pgettext_lazy("school", "по учителям"),
        pgettext_lazy("college", "по преподавателям"),
    ),
    # The movement report's footnotes: «зачислен в класс», «по школе … её классами», «на класс»
    "into_class": (pgettext_lazy("school", "в класс"), pgettext_lazy("college", "в группу")),
    "per_class": (pgettext_lazy("school", "на класс"), pgettext_lazy("college", "на группу")),
    "over_the_school": (
        pgettext_lazy("school", "по школе"),
        pgettext_lazy("college", "по колледжу"),
    ),
    "between_its_classes": (
        pgettext_lazy("school", "между её классами"),
        pgettext_lazy("college", "между его группами"),
    ),
    "no_teacher": (
        pgettext_lazy("school", "учитель не назначен"),
        pgettext_lazy("college", "преподаватель не назначен"),
    ),
}


# The roles a college names by its own words (the keys of WORDS).
COLLEGE_ROLE_WORDS = {"teacher": "Teacher", "class_teacher": "Class_teacher", "pupil": "Pupil"}


class Words:
    """The words of one kind of school: `words.Class`, `words["Class"]`; % formatting too."""

    def __init__(self, college: bool):
        self.college = college

    def __getitem__(self, key: str) -> str:
        return str(WORDS[key][1 if self.college else 0])

    def __getattr__(self, key: str) -> str:
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def keys(self):  # for «% words»: every word by its key
        return WORDS.keys()

    def role(self, role: str) -> str:
        """A role's name as this kind of school says it: a college's «Преподаватель»,
        «Куратор», «Студент»; every other role by its own label (accounts.models.Role)."""
        from .models import Role

        if self.college and role in COLLEGE_ROLE_WORDS:
            return self[COLLEGE_ROLE_WORDS[role]]
        return str(Role(role).label)


SCHOOL_WORDS, COLLEGE_WORDS = Words(False), Words(True)


def words_for(school) -> Words:
    """The words of `school` (a school's when there is none)."""
    from .models import School

    is_college = school is not None and school.kind == School.Kind.COLLEGE
    return COLLEGE_WORDS if is_college else SCHOOL_WORDS
