"""Panels that apps above journal add to «Сегодня» (journal.views.today): the page lives here,
what a higher app knows (the shortfalls of reports) is registered from its AppConfig.ready()
as a function (request, day, today) → safe HTML, so journal imports nothing above it."""

PANELS: list = []


def register_today_panel(panel) -> None:
    if panel not in PANELS:
        PANELS.append(panel)


def panels_for(request, day, today) -> list:
    return [html for panel in PANELS if (html := panel(request, day, today))]
