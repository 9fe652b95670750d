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
    ],
)
def test_patronymics_follow_russian_rules(father, male, female):
    assert (patronymic(father, False), patronymic(father, True)) == (male, female)
