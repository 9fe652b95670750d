"""Russian words that agree with a number: «1 день», «2 дня», «5 дней»."""


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that goes with `n` (one: 1, 21…; few: 2–4, 22…; many: the rest)."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«3 дня»: the number and the agreeing noun."""
    return f"{n} {plural(n, one, few, many)}"


# Fathers' names whose patronymic does not follow the general rules below.
PATRONYMIC_STEMS = {
    "Павел": "Павл",
    "Лев": "Льв",
    "Пётр": "Петр",
    "Петр": "Петр",
    "Дмитрий": "Дмитри",
    "Георгий": "Георги",
    "Михаил": "Михайл",
}
PATRONYMIC_WHOLE = {
    "Илья": ("Ильич", "Ильинична"),
    "Никита": ("Никитич", "Никитична"),
    "Фома": ("Фомич", "Фоминична"),
    "Кузьма": ("Кузьмич", "Кузьминична"),
    "Лука": ("Лукич", "Лукинична"),
    "Савва": ("Саввич", "Саввична"),
    "Яков": ("Яковлевич", "Яковлевна"),
}


def patronymic(father: str, female: bool) -> str:
    """A patronymic by Russian rules: Александр → Александрович/Александровна, Сергей →
    Сергеевич, Игорь → Игоревич, Евгений → Евгеньевич, Павел → Павлович, Илья → Ильич."""
    if father in PATRONYMIC_WHOLE:
        return PATRONYMIC_WHOLE[father][int(female)]
    ending = "вна" if female else "вич"
    if father in PATRONYMIC_STEMS:
        stem = PATRONYMIC_STEMS[father]
        return stem + ("е" if stem.endswith(("и", "й")) else "о") + ending
    if father.endswith("ий"):
        return father[:-2] + "ье" + ending  # Евгений → Евгеньевич, Юрий → Юрьевич
    if father.endswith(("ей", "ай", "ой", "уй")):
        return father[:-1] + "е" + ending  # Сергей → Сергеевич, Николай → Николаевич
    if father.endswith("ь"):
        return father[:-1] + "е" + ending  # Игорь → Игоревич
    if father.endswith(("ж", "ш", "ч", "щ", "ц")):
        return father + "е" + ending
    return father + "о" + ending
