"""The JSON-lines formatter of the logs (LOG_FORMAT=json): python-json-logger, with the
field names the operators grep for — time (ISO 8601, UTC), level, logger, message — and
whatever the record carries besides (the request's fields, see lib.request_log)."""

from pythonjsonlogger.json import JsonFormatter


def formatter() -> JsonFormatter:
    return JsonFormatter(
        ["levelname", "name", "message"],
        timestamp="time",
        rename_fields={"levelname": "level", "name": "logger"},
        json_ensure_ascii=False,
    )
