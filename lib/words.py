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
