"""The printed sheet of access codes (a class's, or one pupil's): the raw codes shown once."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from lib.pdf import render_pdf


def code_slips_response(request, slips, *, title, place, back_url, pdf=False, filename=""):
    context = {
        "slips": slips,
        "school": request.school,
        "title": title,
        "place": place,
        "back_url": back_url,
        # The slip is read away from the screen: it names the page the code is typed into.
        "redeem_url": request.build_absolute_uri(reverse("account:redeem")),
    }
    if pdf:
        html = render_to_string("accounts/code_slips.html", {**context, "pdf": True}, request)
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "accounts/code_slips.html", context)
