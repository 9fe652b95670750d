"""Forms that create something are handled once per form shown, however often they are sent.

Each such form carries a one-time token (`{% form_token %}`, a hidden field), and its view
uses `SubmitOnceMixin`: the POST runs in one transaction that first records the token
(FormSubmission, unique). A second send of the same form — a double click, two tabs, a
browser retrying — inserts the same token: PostgreSQL makes it wait until the first send
commits and then refuses it, and the second answer says the form was already sent, having
created nothing. If the first send fails, its transaction (and the token) is rolled back and
the second goes ahead. A form refused as invalid (an answer of 400 or more) frees its token,
so the corrected form may be sent again. A POST without a token (a script, a page from
before this release) is handled as before, without this protection; the pages all carry it.

Browsers also disable a form's submit buttons once it is sent (static/js/app.js), so that a
double click normally shows the first answer rather than the second's «already sent».
"""

import random
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "form_token"
KEEP = timedelta(days=2)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def claim(token: str, user) -> bool:
    """Record the token in the current transaction; False if it was sent before."""
    if random.random() < 0.01:  # now and then, forget the tokens of forms long gone
        FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            FormSubmission.objects.create(
                token=token[:64], user=user if user.is_authenticated else None
            )
    except IntegrityError:
        return False
    return True


class SubmitOnceMixin:
    """A view whose POST creates something: see the module's docstring."""

    def dispatch(self, request, *args, **kwargs):
        token = request.POST.get(FIELD) if request.method == "POST" else None
        if not token:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            if not claim(token, request.user):
                return self.already_sent(request)
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                FormSubmission.objects.filter(token=token[:64]).delete()
            return response

    def already_sent(self, request):
        messages.info(
            request, _("Эта форма уже отправлена: повторная отправка ничего не добавила.")
        )
        return redirect(self.after_duplicate_url())

    def after_duplicate_url(self) -> str:
        """Where a second send lands: the page of the form itself, by default."""
        return self.request.get_full_path()
