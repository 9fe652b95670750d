"""Small typed readers for settings that come from environment variables.

Each helper refuses a malformed value with a message naming the variable, so a
typo in a deployment fails at start-up instead of silently falling back.
"""

import os
import re
from urllib.parse import parse_qs, unquote, urlparse


class ImproperlyConfiguredEnv(RuntimeError):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """A string; with no default the variable is required and may not be blank."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfiguredEnv(f"Environment variable {name} is required")
        return default
    if default is None and not value.strip():
        raise ImproperlyConfiguredEnv(f"Environment variable {name} is required and is empty")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not an integer") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a number") from None


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def env_proxy_ssl_header(name: str, default: str, *, behind_proxy: bool) -> tuple | None:
    """Django's SECURE_PROXY_SSL_HEADER: (the header's META key, "https") behind a declared
    proxy, None otherwise. Naming a header without declaring a proxy fails: the header would
    not be trusted, and the setting is most likely a mistake."""
    value = os.environ.get(name)
    if value is not None and not behind_proxy:
        raise ImproperlyConfiguredEnv(
            f"{name} is set but no proxy is declared (set TRUSTED_PROXY_COUNT to 1 or more)"
        )
    if not behind_proxy:
        return None
    header = (value if value is not None else default).strip()
    if not HEADER_NAME.match(header):
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not an HTTP header name")
    return ("HTTP_" + header.upper().replace("-", "_"), "https")


def parse_database_url(url: str, name: str = "DATABASE_URL") -> dict:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into DATABASES['default'];
    `name` is the variable it came from, for the messages."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = parsed.path[1:] if parsed.path.startswith("//") else parsed.path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or ":memory:"}
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfiguredEnv(
            f"{name} scheme {parsed.scheme!r} is not supported (postgres:// or sqlite://)"
        )
    dbname = parsed.path.lstrip("/")
    if not dbname:
        raise ImproperlyConfiguredEnv(f"{name} names no database")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(dbname),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }
