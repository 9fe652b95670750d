"""Settings from the environment: bad values fail loudly; production passes check --deploy."""

import importlib.util
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from config.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

BASE_DIR = django_settings.BASE_DIR
SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "STATIC_MANIFEST",
    "AXES_FAILURE_LIMIT",
    "EMAIL_BACKEND",
    "EMAIL_PORT",
    "TRUSTED_PROXY_COUNT",
    "PROXY_SSL_HEADER",
)


# The helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_a_boolean_that_is_not_one_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfiguredEnv, match=r"^X=.* is not a boolean"):
        env_bool("X", False)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), (" TRUE ", True)])
def test_a_boolean_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("X", value)
    assert env_bool("X", not expected) is expected


def test_an_integer_that_is_not_one_names_the_variable(monkeypatch):
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfiguredEnv, match="AXES_FAILURE_LIMIT='five'"):
        env_int("AXES_FAILURE_LIMIT", 5)


def test_a_missing_required_string_names_the_variable(monkeypatch):
    monkeypatch.delenv("SOME_KEY", raising=False)
    with pytest.raises(ImproperlyConfiguredEnv, match="SOME_KEY is required"):
        env_str("SOME_KEY")
    assert env_str("SOME_KEY", "fallback") == "fallback"


def test_a_required_string_that_is_blank_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_KEY", "  ")
    with pytest.raises(ImproperlyConfiguredEnv, match="SOME_KEY is required and is empty"):
        env_str("SOME_KEY")
    assert env_str("SOME_KEY", "fallback") == "  "  # an optional one is taken as it is


def test_a_list_is_split_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.ru, b.ru ,,")
    assert env_list("HOSTS", []) == ["a.ru", "b.ru"]


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "postgress://h/db", "journal.db"])
def test_a_database_url_of_an_unknown_kind_is_refused_by_name(url):
    with pytest.raises(ImproperlyConfiguredEnv, match="DATABASE_URL scheme"):
        parse_database_url(url)


def test_a_postgres_url_without_a_database_name_is_refused():
    with pytest.raises(ImproperlyConfiguredEnv, match="DATABASE_URL names no database"):
        parse_database_url("postgres://user@localhost:5432/")


def test_a_postgres_url_is_taken_apart():
    db = parse_database_url("postgresql://jo%40urnal:p%2Fss@db.local:6432/zhurnal?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("zhurnal", "jo@urnal", "p/ss")
    assert (db["HOST"], db["PORT"], db["OPTIONS"]) == ("db.local", "6432", {"sslmode": "require"})


# The settings module itself -------------------------------------------------------------------


def load_settings(monkeypatch, **env):
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # A fresh copy of config/settings.py, leaving the settings of this test run alone.
    spec = importlib.util.spec_from_file_location(
        "config.settings_under_test", BASE_DIR / "config" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


def test_production_without_a_secret_key_refuses_to_start(monkeypatch):
    with pytest.raises(ImproperlyConfiguredEnv, match="SECRET_KEY is required"):
        load_settings(monkeypatch, DEBUG="0")


def test_production_with_an_empty_secret_key_refuses_to_start(monkeypatch):
    with pytest.raises(ImproperlyConfiguredEnv, match="SECRET_KEY is required and is empty"):
        load_settings(monkeypatch, DEBUG="0", SECRET_KEY="")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECURE_HSTS_SECONDS", "1y"),
        ("AXES_FAILURE_LIMIT", "5.5"),
        ("SECURE_COOKIES", "secure"),
        ("EMAIL_PORT", "smtp"),
    ],
)
def test_a_malformed_setting_refuses_to_start_and_names_itself(monkeypatch, variable, value):
    with pytest.raises(ImproperlyConfiguredEnv, match=f"^{variable}='{re.escape(value)}' is not"):
        load_settings(monkeypatch, DEBUG="0", SECRET_KEY="k" * 60, **{variable: value})


def test_a_bad_debug_value_refuses_to_start(monkeypatch):
    with pytest.raises(ImproperlyConfiguredEnv, match="DEBUG='maybe'"):
        load_settings(monkeypatch, DEBUG="maybe", SECRET_KEY="k" * 60)


def test_a_bad_database_url_refuses_to_start(monkeypatch):
    with pytest.raises(ImproperlyConfiguredEnv, match="DATABASE_URL scheme 'mysql'"):
        load_settings(monkeypatch, SECRET_KEY="k" * 60, DATABASE_URL="mysql://h/db")


def test_development_runs_without_a_secret_key_on_sqlite(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="1")
    assert loaded["SECRET_KEY"].startswith("dev-only")
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["SESSION_COOKIE_SECURE"] is False
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_defaults_are_secure(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="0", SECRET_KEY="k" * 60)
    assert loaded["ALLOWED_HOSTS"] == []
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["CSRF_COOKIE_SECURE"]
    assert loaded["SECURE_SSL_REDIRECT"] and loaded["SECURE_HSTS_SECONDS"] >= 31536000
    assert loaded["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert loaded["SESSION_COOKIE_HTTPONLY"]
    # Password-reset links are mailed, never printed to the server's log.
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_no_https_header_is_trusted_unless_a_proxy_is_declared(monkeypatch):
    production = {"DEBUG": "0", "SECRET_KEY": "k" * 60}
    assert load_settings(monkeypatch, **production)["SECURE_PROXY_SSL_HEADER"] is None
    behind = load_settings(monkeypatch, TRUSTED_PROXY_COUNT="1", **production)
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    named = load_settings(
        monkeypatch, TRUSTED_PROXY_COUNT="2", PROXY_SSL_HEADER="X-Forwarded-Scheme", **production
    )
    assert named["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_SCHEME", "https")


def test_a_proxy_header_named_without_a_proxy_or_malformed_refuses_to_start(monkeypatch):
    production = {"DEBUG": "0", "SECRET_KEY": "k" * 60}
    with pytest.raises(ImproperlyConfiguredEnv, match="no proxy is declared"):
        load_settings(monkeypatch, PROXY_SSL_HEADER="X-Forwarded-Proto", **production)
    with pytest.raises(ImproperlyConfiguredEnv, match="is not an HTTP header name"):
        load_settings(
            monkeypatch, TRUSTED_PROXY_COUNT="1", PROXY_SSL_HEADER="X Proto: 1", **production
        )


def test_a_client_claiming_https_is_still_sent_to_https_without_a_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/auth/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# check --deploy -------------------------------------------------------------------------------


def check_deploy(**overrides):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "journal.example.ru",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///unused.sqlite3"),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_documented_check_deploy_command_reports_nothing():
    # Exactly: DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=x python manage.py check --deploy
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "x",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("System check identified no issues")
    assert "WARNING" not in result.stderr


def test_check_deploy_would_catch_a_weak_production_setting():
    # The test above could fail: the same command reports a short key and a missing redirect.
    result = check_deploy(SECRET_KEY="short", SECURE_SSL_REDIRECT="0")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W009" in output
    assert "security.W008" in output
