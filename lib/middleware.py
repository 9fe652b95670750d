"""Input that cannot be read answers 400 with its Russian message, on every page.

Views parse dates from links with lib.dates, which raises BadDate; rather than each view
catching it (and one forgetting and answering 500), this middleware turns it into a page.
"""

from django.shortcuts import render

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
