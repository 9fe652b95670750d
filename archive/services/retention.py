"""Retention: documents whose time has come, the «акт о выделении к уничтожению документов,
не подлежащих хранению», and only then the files' removal.

A document may be put in an act from the day after its destroy-after date, on the school's
own clock (school.today()); the date is checked when the act is drawn up and again when its
files are removed. The deputy draws the act up; the director approves it, which renders the
act as a PDF/A kept for good (an ArchiveDocument of retention «постоянно») and removes the
listed files — their rows stay, marked destroyed, with the act that destroyed them.
"""

from html import escape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lib.pdf import PDF_A, render_pdf

from ..models import ArchiveDocument, DestructionAct
from .store import save_document

Kind = ArchiveDocument.Kind


def due_documents(school, today=None):
    """Kept documents past their destroy-after date, in no act yet."""
    today = today or school.today()
    return (
        ArchiveDocument.objects.filter(
            school=school,
            destroy_after__lt=today,
            destroyed_at__isnull=True,
            act__isnull=True,
        )
        .select_related("year", "school_class")
        .order_by("destroy_after", "year__start", "pk")
    )


def _check_due(document, today) -> None:
    if document.destroy_after is None or document.destroy_after >= today:
        raise ValidationError(
            _("Срок хранения документа «%(doc)s» (%(year)s) не истёк: хранить до %(date)s.")
            % {
                "doc": document,
                "year": document.year.name,
                "date": document.destroy_after.strftime("%d.%m.%Y")
                if document.destroy_after
                else _("постоянно"),
            }
        )


@transaction.atomic
def do_draw_up_act(school, user) -> DestructionAct:
    """An act listing every document whose time has come (the deputy's)."""
    today = school.today()
    documents = list(due_documents(school, today).select_for_update(of=("self",)))
    if not documents:
        raise ValidationError(_("Документов с истёкшим сроком хранения нет."))
    number = (DestructionAct.objects.filter(school=school).aggregate(n=Max("number"))["n"] or 0) + 1
    act = DestructionAct.objects.create(school=school, number=number, drawn_up_by=user)
    for document in documents:
        _check_due(document, today)
    ArchiveDocument.objects.filter(pk__in=[d.pk for d in documents]).update(act=act)
    return act


def act_html(act, documents) -> str:
    school = act.school
    rows = "\n".join(
        f"{n:>3}  {str(d)[:48]:<48}  {d.year.name:<9}  в.{d.version:<3} {d.pages:>4} л.  "
        f"{d.get_retention_display():<30}  {d.destroy_after:%d.%m.%Y}  {d.sha256[:16]}"
        for n, d in enumerate(documents, 1)
    )
    approved = (
        _("УТВЕРЖДАЮ. Директор %(name)s, %(date)s")
        % {"name": act.approved_by.full_name, "date": act.approved_at.strftime("%d.%m.%Y")}
        if act.approved_by_id
        else ""
    )
    drawn = _("Составил: заместитель директора %(name)s, %(date)s") % {
        "name": act.drawn_up_by.full_name,
        "date": act.drawn_up_at.strftime("%d.%m.%Y"),
    }
    title = _("Акт № %(n)s о выделении к уничтожению документов, не подлежащих хранению") % {
        "n": act.number
    }
    basis = _(
        "На основании перечня, утверждённого приказом Росархива № 236 от 20.12.2019, и "
        "сроков хранения школы к уничтожению выделены документы, сроки хранения которых истекли:"
    )
    total = _("Всего документов: %(n)s.") % {"n": len(documents)}
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }}
h1 {{ font-size: 13pt; }}
.t {{ font-family: "DejaVu Sans Mono"; font-size: 7.5pt; white-space: pre; }}
</style></head><body><p>{escape(school.name)}</p><p style="text-align: right">{escape(approved)}</p>
<h1>{escape(title)}</h1><p>{escape(basis)}</p><div class="t">{escape(rows)}</div>
<p>{escape(total)}</p><p>{escape(drawn)}</p></body></html>"""


@transaction.atomic
def do_approve_act(act, user):
    """The director approves the act: its PDF is filed for good, then its files go."""
    act = (
        DestructionAct.objects.select_for_update()
        .select_related("school", "drawn_up_by")
        .get(pk=act.pk)
    )
    if act.approved_at is not None:
        raise ValidationError(_("Акт № %(n)s уже утверждён.") % {"n": act.number})
    school = act.school
    today = school.today()
    documents = list(
        ArchiveDocument.objects.filter(act=act)
        .select_related("year", "school_class")
        .order_by("pk")
    )
    if not documents:
        raise ValidationError(_("В акте № %(n)s нет документов.") % {"n": act.number})
    for document in documents:
        _check_due(document, today)  # the clock again: nothing goes before its date
    act.approved_by, act.approved_at = user, school.now()
    act.save(update_fields=["approved_by", "approved_at"])
    pdf = render_pdf(
        act_html(act, documents),
        variant=PDF_A,
        metadata={"title": _("Акт № %(n)s") % {"n": act.number}},
    )
    # Filed under the latest year it lists (an act is kept for good: retention «постоянно»).
    year = max((d.year for d in documents), key=lambda y: y.start)
    act.pdf = save_document(school, year, None, Kind.ACT, pdf)
    now = school.now()
    for document in documents:
        # The file first, then the row's mark: a failure leaves the row kept, retried later.
        document.file.storage.delete(document.file.name)
        ArchiveDocument.objects.filter(pk=document.pk).update(destroyed_at=now)
    act.destroyed_at = now
    act.save(update_fields=["destroyed_at", "pdf"])
    return act
