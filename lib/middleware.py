"""Middleware that is not about schools: bad input as a 400 page, private pages not stored.

- BadInputMiddleware: views parse dates from links with lib.dates, which raises BadDate;
  rather than each view catching it (and one forgetting and answering 500), this middleware
  turns it into a page.
- PrivatePagesMiddleware: every response to a signed-in person is marked never to be stored
  (Cache-Control: no-store), by a browser, a proxy or a shared computer's disk cache.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .dates import BadDate


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadDate):
            return render(
                request, "errors/bad_input.html", {"message": exception.messages[0]}, status=400
            )
        return None


class PrivatePagesMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in request.

    Not a decorator on the views that show personal data: every page a signed-in person sees
    shows some (their name in the header at least; marks, codes, addresses on most), and a
    decorator would be forgotten on the next view. Static files are answered before this
    (WhiteNoise) and keep their long cache lifetime; the public pages (sign-in, code entry)
    have nothing personal and may be stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
