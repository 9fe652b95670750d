"""Error reporting to Sentry (or a compatible server), only when SENTRY_DSN is set.

sentry-sdk is an optional dependency (`pip install .[sentry]`); asking for it by setting
the DSN without installing it fails at start-up rather than losing every error quietly.
Personal data stays here: no users' names, addresses, cookies or request bodies are sent
(send_default_pii=False), only the error, its traceback and the request's path.
"""

from django.core.exceptions import ImproperlyConfigured


def init_sentry(dsn: str, *, environment: str = "", traces_sample_rate: float = 0.0) -> bool:
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed (pip install '.[sentry]')"
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        max_request_body_size="never",
    )
    return True
