"""Russian words: numbers with agreeing nouns, patronymics by the rules."""

import pytest

from lib.words import count, patronymic


@pytest.mark.parametrize(
    "n,text",
    [
        (1, "1 день"),
        (2, "2 дня"),
        (5, "5 дней"),
        (11, "11 дней"),
        (21, "21 день"),
        (112, "112 дней"),
    ],
)
def test_a_number_takes_the_agreeing_form(n, text):
    assert count(n, "день", "дня", "дней") == text


@pytest.mark.parametrize(
    "father,male,female",
    [
        ("Александр", "Александрович", "Александровна"),
        ("Сергей", "Сергеевич", "Сергеевна"),
        ("Николай", "Николаевич", "Николаевна"),
        ("Игорь", "Игоревич", "Игоревна"),
        ("Евгений", "Евгеньевич", "Евгеньевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
        ("Павел", "Павлович", "Павловна"),
        ("Пётр", "Петрович", "Петровна"),
        ("Лев", "Львович", "Львовна"),
        ("Илья", "Ильич", "Ильинична"),
        ("Олег", "Олегович", "Олеговна"),
        ("Михаил", "Михайлович", "Михайловна"),
        ("Яков", "Яковлевич", "Яковлевна"),
        ("Василий", "Васильевич", "Васильевна"),
        ("Андрей", "Андреевич", "Андреевна"),
    ],
)
def test_patronymics_follow_russian_rules(father, male, female):
    assert (patronymic(father, False), patronymic(father, True)) == (male, female)


def test_every_demo_father_gives_a_possible_patronymic():
    from accounts.demo import FATHER_NAMES

    for father in FATHER_NAMES:
        for female in (False, True):
            name = patronymic(father, female)
            # «Игорьовна», «Павеловна», «Михаилович»: impossible in Russian.
            assert not any(bad in name for bad in ("ьо", "йо", "ио", "ело")), name
            assert name.endswith(("ич", "на")), name
