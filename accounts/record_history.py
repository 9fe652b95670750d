"""What changed in a person's record, when and by whom, read from django-simple-history."""

from itertools import groupby

from django.utils.translation import gettext as _

from .models import Pupil

# The fields a pupil's card shows the changes of, and a parent's contacts.
PUPIL_FIELDS = (*Pupil.RECORD_FIELDS, "user")
CONTACT_FIELDS = ("phone", "email")


def label(model, field: str) -> str:
    if field == "user":
        return _("учётная запись")
    return str(model._meta.get_field(field).verbose_name)


def _changes(rows, fields, whose) -> list[dict]:
    """Rows of one object, newest first: each change against the one before it."""
    found = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        if older is None:
            if newer.history_type != "+":
                continue  # the row before it lies beyond the page's limit
            names = [_("запись создана")]
        else:
            delta = newer.diff_against(older, included_fields=fields)
            names = [label(newer.instance_type, c.field) for c in delta.changes]
            if not names:
                continue
        found.append(
            {"at": newer.history_date, "by": newer.history_user, "whose": whose, "fields": names}
        )
    return found


def record_changes(pupil, parents, limit=20) -> list[dict]:
    """The pupil's record's changes and their parents' contacts', newest first. Two queries."""
    rows = list(pupil.history.select_related("history_user").order_by("-history_date")[:limit])
    found = _changes(rows, PUPIL_FIELDS, _("запись обучающегося"))
    by_id = {parent.pk: parent for parent in parents}
    if by_id:
        model = next(iter(by_id.values())).history.model
        history = (
            model.objects.filter(id__in=by_id)
            .select_related("history_user")
            .order_by("id", "-history_date")
        )
        for user_id, user_rows in groupby(history, key=lambda row: row.id):
            whose = _("контакты: %(name)s") % {"name": by_id[user_id].full_name}
            changes = _changes(list(user_rows), CONTACT_FIELDS, whose)
            # A parent's account created is no change the school made to the contacts.
            found += [c for c in changes if c["fields"] != [_("запись создана")]]
    found.sort(key=lambda change: change["at"], reverse=True)
    return found[:limit]
