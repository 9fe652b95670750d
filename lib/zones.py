"""Russia's time zones, as a school picks its own: «Москва (МСК)», «Екатеринбург (МСК+2)»."""

from django.utils.translation import gettext_lazy as _

# (IANA name, how people name it). Offsets from Moscow, as Russian timetables say them.
RUSSIAN_ZONES = [
    ("Europe/Kaliningrad", _("Калининград (МСК−1)")),
    ("Europe/Moscow", _("Москва (МСК)")),
    ("Europe/Simferopol", _("Симферополь (МСК)")),
    ("Europe/Volgograd", _("Волгоград (МСК)")),
    ("Europe/Kirov", _("Киров (МСК)")),
    ("Europe/Samara", _("Самара (МСК+1)")),
    ("Europe/Astrakhan", _("Астрахань (МСК+1)")),
    ("Europe/Saratov", _("Саратов (МСК+1)")),
    ("Europe/Ulyanovsk", _("Ульяновск (МСК+1)")),
    ("Asia/Yekaterinburg", _("Екатеринбург (МСК+2)")),
    ("Asia/Omsk", _("Омск (МСК+3)")),
    ("Asia/Novosibirsk", _("Новосибирск (МСК+4)")),
    ("Asia/Barnaul", _("Барнаул (МСК+4)")),
    ("Asia/Tomsk", _("Томск (МСК+4)")),
    ("Asia/Novokuznetsk", _("Новокузнецк (МСК+4)")),
    ("Asia/Krasnoyarsk", _("Красноярск (МСК+4)")),
    ("Asia/Irkutsk", _("Иркутск (МСК+5)")),
    ("Asia/Chita", _("Чита (МСК+6)")),
    ("Asia/Yakutsk", _("Якутск (МСК+6)")),
    ("Asia/Khandyga", _("Хандыга (МСК+6)")),
    ("Asia/Vladivostok", _("Владивосток (МСК+7)")),
    ("Asia/Ust-Nera", _("Усть-Нера (МСК+7)")),
    ("Asia/Magadan", _("Магадан (МСК+8)")),
    ("Asia/Sakhalin", _("Сахалин (МСК+8)")),
    ("Asia/Srednekolymsk", _("Среднеколымск (МСК+8)")),
    ("Asia/Kamchatka", _("Камчатка (МСК+9)")),
    ("Asia/Anadyr", _("Анадырь (МСК+9)")),
]


def zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The zones to choose from; a zone set earlier outside the list stays choosable."""
    choices = list(RUSSIAN_ZONES)
    if current and current not in dict(choices):
        choices.insert(0, (current, current))
    return choices
