"""Sign-in protection: the client's address, devices that signed in before, the lockout page.

Brute force is stopped by django-axes, which locks a login for AXES_COOLOFF_TIME after
AXES_FAILURE_LIMIT failures — but only for untrusted clients, as in OWASP's «device cookies»:

- a successful sign-in through the form gives the browser a device cookie, a signed pair
  (login, random nonce) kept a year, one per login for the last few logins of the browser;
- a sign-in attempt carrying a valid device cookie for the login typed comes from a trusted
  device: axes leaves it alone (AXES_WHITELIST_CALLABLE), and its failures are counted per
  nonce instead; at the limit that nonce is locked for the cool-off, and the device is
  untrusted until then;
- every other attempt is untrusted, and failures lock the login for all untrusted clients
  (AXES_LOCKOUT_PARAMETERS = ["username"]), wherever they are.

So a pupil typing wrong passwords for a teacher on the school's network locks out only new
devices; the teacher's own computer, which signed in before, still gets in — and a trusted
device's success does not unlock the untrusted ones (only an untrusted success resets them).
"""

import math
import secrets

from axes.helpers import get_cool_off
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The address of the person behind a request, the same for axes, codes and history.

    Behind TRUSTED_PROXY_COUNT reverse proxies the address is the one the outermost of them
    saw: that many entries from the right of X-Forwarded-For. Entries further left were
    written by the client and could be anything, so they are never trusted.
    """
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page axes shows after too many failed sign-ins: Russian, with the wait in minutes."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


DEVICE_COOKIE = "zh_device"
DEVICE_SALT = "accounts.security.device"
DEVICE_AGE = 365 * 24 * 60 * 60
DEVICE_LOGINS = 5  # logins remembered by one browser (a family's computer)


def _devices(request) -> list[list[str]]:
    """[[login, nonce], ...] from the request's valid device cookie, or []."""
    value = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not value:
        return []
    try:
        devices = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(devices, list):
        return []
    return [d for d in devices if isinstance(d, list) and len(d) == 2][:DEVICE_LOGINS]


def _locked_key(nonce: str) -> str:
    return f"signin:device-locked:{nonce}"


def _failures_key(nonce: str) -> str:
    return f"signin:device-failures:{nonce}"


def trusted_nonce(request, username) -> str | None:
    """The nonce of the request's device cookie for `username`, unless it is locked."""
    if not username:
        return None
    for login, nonce in _devices(request):
        if login == username and not cache.get(_locked_key(nonce)):
            return nonce
    return None


def signs_in_from_trusted_device(request, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: axes neither counts nor locks a trusted device's attempts."""
    username = (credentials or {}).get("username")
    if username is None and request is not None and request.method == "POST":
        username = request.POST.get("username")
    return trusted_nonce(request, username) is not None


def count_device_failure(request, username) -> None:
    """A wrong password from a trusted device: at the limit, the device is untrusted for the
    cool-off (and then meets axes like any other client)."""
    nonce = trusted_nonce(request, username)
    if nonce is None:
        return
    period = int(settings.AXES_COOLOFF_TIME.total_seconds())
    key = _failures_key(nonce)
    cache.add(key, 0, timeout=period)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period)
        failures = 1
    if failures >= settings.AXES_FAILURE_LIMIT:
        cache.set(_locked_key(nonce), 1, timeout=period)
        cache.delete(key)


def remember_device(request, response, username) -> None:
    """Give the browser a fresh device cookie for `username` (after a successful sign-in)."""
    cache.delete_many([_failures_key(n) for login, n in _devices(request) if login == username])
    others = [d for d in _devices(request) if d[0] != username]
    devices = [[username, secrets.token_urlsafe(16)], *others][:DEVICE_LOGINS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(devices, salt=DEVICE_SALT),
        max_age=DEVICE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
