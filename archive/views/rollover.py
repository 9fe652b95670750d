"""The rollover into the next year: a preview of every change, the deputy's decisions about
pupils kept down or moved up conditionally, then the run (schedule.services.rollover)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from grading.models import FinalMark
from schedule.models import SchoolYear
from schedule.services.rollover import OUTCOMES, PROMOTED, do_rollover, plan_rollover

from ..forms import RolloverForm
from .documents import ObjectPage, index_url


def outcomes_from(data) -> tuple[dict, list]:
    outcomes, errors = {}, []
    for key, value in data.items():
        if key.startswith("o") and key[1:].isdigit():
            if value not in OUTCOMES:
                errors.append(_("Неизвестное решение о переводе: «%(v)s».") % {"v": value[:30]})
            elif value != PROMOTED:
                outcomes[int(key[1:])] = value
    return outcomes, errors


class RolloverView(ObjectPage, View):
    permission = "archive.manage_archive"
    model = SchoolYear

    def page(self, outcomes, form, errors=(), status=200):
        year = self.object
        plan = plan_rollover(year, outcomes)
        failing = set(
            FinalMark.objects.filter(
                course__year=year, kind=FinalMark.Kind.YEAR, value__in=FinalMark.FAILING
            ).values_list("pupil_id", flat=True)
        )
        candidates = [m for m in plan.moves if m.pupil.pk in failing or m.pupil.pk in outcomes]
        return render(
            self.request,
            "archive/rollover.html",
            {
                "year": year,
                "plan": plan,
                "form": form,
                "errors": errors,
                "candidates": candidates,
                "outcomes": OUTCOMES,
                "chosen": outcomes,
            },
            status=status,
        )

    def get(self, request, pk):
        outcomes, errors = outcomes_from(request.GET)
        return self.page(outcomes, RolloverForm(), errors, status=400 if errors else 200)

    def post(self, request, pk):
        outcomes, errors = outcomes_from(request.POST)
        form = RolloverForm(request.POST)
        if errors or not form.is_valid():
            return self.page(outcomes, form, errors, status=400)
        try:
            made = do_rollover(
                self.object, outcomes, order_number=form.cleaned_data["order_number"],
                user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            return self.page(outcomes, form, error.messages, status=400)
        messages.success(
            request,
            _(
                "Переход выполнен: классов создано %(classes)s, зачислений %(enrolments)s, "
                "выпущено %(left)s, курсов %(courses)s."
            )
            % made,
        )
        return redirect(index_url(request.school, self.object))
