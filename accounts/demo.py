"""Demo people for two schools. Later apps add classes, timetables and marks to them."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from lib.words import patronymic

from . import demo_college
from .demo_college import COLLEGE_ACCOUNTS
from .models import ParentLink, Pupil, Role, School, User
from .services import grant_role

DEMO_PASSWORD = "demo-2026"

# The accounts the run command prints, one per role (README lists the same).
DEMO_ACCOUNTS = [
    ("admin", _("Администратор ЭЖ, школа №1")),
    ("director", _("Директор, школа №1")),
    ("deputy", _("Заместитель директора (завуч), школа №1")),
    ("teacher", _("Учитель математики, школа №1")),
    ("classteacher", _("Классный руководитель 5А, школа №1")),
    ("parent", _("Родитель ученика 5А, школа №1")),
    ("parent2", _("Родитель детей в 9Б школы №1 и в 3А школы №2")),
    ("pupil", _("Обучающийся 5А, школа №1")),
    ("admin2", _("Администратор ЭЖ, школа №2")),
    ("teacher2", _("Учитель, школа №2")),
    ("parent3", _("Родитель, школа №2")),
]
# The college's: its branch's (accounts/demo_college.py), then its organisation's
# (reports/demo_organisation.py).
DEMO_ACCOUNTS += COLLEGE_ACCOUNTS
DEMO_ACCOUNTS += [
    ("orgdeputy", _("Заместитель директора техникума: оба филиала, только чтение")),
    ("headofdept", _("Заведующий отделением, техникум (Касли)")),
]

MALE_LAST = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
]
MALE_FIRST = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Никита",
    "Матвей",
    "Роман",
    "Егор",
    "Арсений",
    "Иван",
    "Денис",
]
FEMALE_FIRST = [
    "Анастасия",
    "Мария",
    "Дарья",
    "Анна",
    "Елизавета",
    "Полина",
    "Виктория",
    "Екатерина",
    "Софья",
    "Александра",
    "Варвара",
    "Ксения",
    "Алиса",
    "Вероника",
]
FATHER_NAMES = [
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Михаил",
    "Игорь",
    "Олег",
    "Владимир",
    "Николай",
    "Евгений",
    "Юрий",
    "Виктор",
    "Павел",
]


def feminine(last_name: str) -> str:
    return last_name + "а" if last_name.endswith(("ов", "ев", "ёв", "ин")) else last_name


@dataclass
class DemoContext:
    rng: object
    pupils_per_class: int
    classes_per_grade: int
    grades: list[int]
    today: date
    schools: list = field(default_factory=list)
    teachers: dict = field(default_factory=dict)  # school slug -> [User]
    pupils: dict = field(default_factory=dict)  # school slug -> [Pupil]
    named: dict = field(default_factory=dict)  # demo username -> User
    password_hash: str = ""
    _counter: int = 0

    def person_name(self, female: bool):
        last = self.rng.choice(MALE_LAST)
        first = self.rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        return (
            (feminine(last) if female else last),
            first,
            patronymic(self.rng.choice(FATHER_NAMES), female),
        )

    def make_user(self, username=None, female=None, names=None):
        if female is None:
            female = self.rng.random() < 0.5
        last, first, middle = names or self.person_name(female)
        if username is None:
            self._counter += 1
            username = f"u{self._counter:05d}"
        user = User.objects.create(
            username=username,
            last_name=last,
            first_name=first,
            patronymic=middle,
            password=self.password_hash,
            email=f"{username}@example.org",
        )
        return user

    def make_pupil(self, school, female=None):
        if female is None:
            female = self.rng.random() < 0.5
        last, first, middle = self.person_name(female)
        year = self.today.year - 7 - self.rng.randint(0, 10)
        return Pupil(
            school=school,
            last_name=last,
            first_name=first,
            patronymic=middle,
            birth_date=date(year, self.rng.randint(1, 12), self.rng.randint(1, 28)),
            sex=Pupil.Sex.FEMALE if female else Pupil.Sex.MALE,
            document=f"II-РУ № {self.rng.randint(100000, 999999)}",
        )

    def add_parent(self, school, pupil, username=None):
        female = self.rng.random() < 0.6
        last = pupil.last_name if not female else feminine(pupil.last_name.removesuffix("а"))
        names = (
            last,
            self.rng.choice(FEMALE_FIRST if female else FATHER_NAMES),
            patronymic(self.rng.choice(FATHER_NAMES), female),
        )
        parent = self.make_user(username=username, female=female, names=names)
        grant_role(school, parent, Role.PARENT)
        ParentLink.objects.create(
            school=school,
            parent=parent,
            pupil=pupil,
            kind=ParentLink.Kind.MOTHER if female else ParentLink.Kind.FATHER,
        )
        return parent


def build(ctx: DemoContext) -> None:
    ctx.password_hash = make_password(DEMO_PASSWORD)
    first = School.objects.create(
        name="Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №1»",
        short_name="Школа №1",
        slug="school1",
    )
    second = School.objects.create(
        name="Муниципальное бюджетное общеобразовательное учреждение «Основная школа №2»",
        short_name="Школа №2",
        slug="school2",
    )
    ctx.schools = [first, second]
    for username, role, school in [
        ("admin", Role.ADMIN, first),
        ("director", Role.DIRECTOR, first),
        ("deputy", Role.DEPUTY, first),
        ("admin2", Role.ADMIN, second),
    ]:
        user = ctx.make_user(username)
        grant_role(school, user, role)
        ctx.named[username] = user
    # A teacher takes some 20 lessons a week of a class's 30: one and a half per class, and
    # never fewer than the twelve a small school needs for its subjects.
    classes = len(ctx.grades) * ctx.classes_per_grade
    for school, count, named in [
        (first, max(12, -(-classes * 3 // 2)), ["teacher", "classteacher"]),
        (second, 4, ["teacher2"]),
    ]:
        teachers = []
        for i in range(count):
            user = ctx.make_user(named[i] if i < len(named) else None)
            grant_role(school, user, Role.TEACHER)
            teachers.append(user)
            if i < len(named):
                ctx.named[named[i]] = user
        ctx.teachers[school.slug] = teachers
    # The college with its two branches (its own part: the schools above stay as they are).
    demo_college.build(ctx)
