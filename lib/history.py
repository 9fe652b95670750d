"""django-simple-history, made cheaper where it is on every write: its history managers
(`keep_history_managers`) and one statement for a row and its record (`save_with_history`).

`Model.history` (a `HistoryDescriptor`) builds a new manager class with
`Manager.from_queryset` on every access, and every saved record with history reads it once
(`create_historical_record`): about a tenth of the CPU of saving one journal cell went into
inspecting the queryset's methods to build a class identical to the last one. The class
depends only on the descriptor's manager and queryset classes, so it is built once per
descriptor; each access still gets its own manager of its own instance, as before.
"""

import functools

from django.db import DatabaseError, connections, router, transaction
from django.db.models import signals
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object


def _get(self, instance, owner):
    manager_class = self.__dict__.get("_manager_of_queryset")
    if manager_class is None:
        manager_class = self.manager_class.from_queryset(self.queryset_class)
        self._manager_of_queryset = manager_class
    return manager_class(self.model, instance)


def keep_history_managers() -> None:
    """Install the kept manager class (once, from an app's ready())."""
    if HistoryDescriptor.__get__ is not _get:
        HistoryDescriptor.__get__ = _get


# --- One statement for a row and its history ---------------------------------------------------

# The history model's own fields, filled here (after history_id, in the order of the values
# save_with_history passes); any other field of a history model (an extra field, a
# history_relation) is not known to `save_with_history`, which says so.
HISTORY_OWN = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
)


def _history_user(instance):
    """Who made the change, as simple-history finds them: the instance's `_history_user`,
    or the signed-in user of the request its middleware keeps. (HistoricalRecords.
    get_history_user does the same, on an object the library does not hand out.)"""
    try:
        return instance._history_user
    except AttributeError:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


@functools.cache
def _statement(model, adding: bool, alias: str) -> tuple[str, list]:
    """The SQL of saving a row of `model` with its history record, and the row's fields
    whose values it takes, in order."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    history = getattr(model, meta.simple_history_manager_attribute).model
    by_column = {f.column: f for f in meta.concrete_fields}
    tracked = [f.column for f in history._meta.concrete_fields if f.name not in HISTORY_OWN]
    unknown = set(tracked) - set(by_column)
    if unknown:
        raise NotImplementedError(f"{history._meta.label}: columns {sorted(unknown)} not handled")
    written = [f for f in meta.concrete_fields if f is not meta.pk]
    if adding:
        row = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in written)}) "
            f"VALUES ({', '.join(['%s'] * len(written))})"
        )
    else:
        row = (
            f"UPDATE {quote(meta.db_table)} "
            f"SET {', '.join(f'{quote(f.column)} = %s' for f in written)} "
            f"WHERE {quote(meta.pk.column)} = %s"
        )
    columns = ", ".join(map(quote, tracked))
    # The record's own values, in the order save_with_history passes them (history_id is the
    # table's identity).
    own = ", ".join(quote(history._meta.get_field(name).column) for name in HISTORY_OWN[1:])
    sql = (
        f"WITH saved AS ({row} RETURNING {columns}) "
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {own}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM saved "
        f"RETURNING {quote(meta.pk.column)}"
    )
    return sql, written


def save_with_history(instance) -> None:
    """Save `instance` — a row of a model with simple-history's HistoricalRecords — and its
    history record in one statement (PostgreSQL: an INSERT or UPDATE … RETURNING feeding the
    history's INSERT), instead of Model.save's two statements, each its own round trip, in a
    transaction of two more: a cell of the journal typed is a row and its history, at the
    rate teachers type.

    The record is simple-history's own — its date, type («+» new, «~» changed), user and
    change reason — and the save's pre_save and post_save signals go out as Model.save sends
    them (simple-history's receiver told the record is written). Elsewhere than PostgreSQL
    (the demo's SQLite has no data-changing WITH) it is Model.save.
    """
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=using, savepoint=False):
            instance.save(using=using)
        return
    meta = model._meta
    adding = instance._state.adding or instance.pk is None
    if adding and instance.pk is not None:
        raise ValueError("save_with_history: a new row takes its key from the database")
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=using, update_fields=None
    )
    sql, written = _statement(model, adding, using)
    found = [f.pre_save(instance, adding) for f in written]
    if any(isinstance(value, DatabaseDefault) for value in found):
        # A field with a db_default and no value of its own: Model.save leaves it out of its
        # INSERT; this statement names every field.
        raise NotImplementedError(f"{meta.label}: a field left to its database default")
    values = [
        f.get_db_prep_save(value, connection) for f, value in zip(written, found, strict=True)
    ]
    if not adding:
        values.append(meta.pk.get_db_prep_value(instance.pk, connection))
    values += [
        getattr(instance, "_history_date", None) or timezone.now(),
        get_change_reason_from_object(instance),
        "+" if adding else "~",
        getattr(_history_user(instance), "pk", None),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        saved = cursor.fetchone()
    if saved is None:
        raise DatabaseError(f"{meta.label} {instance.pk}: the row to update is not there")
    if adding:
        setattr(instance, meta.pk.attname, saved[0])
    instance._state.adding, instance._state.db = False, using
    # Model.save's post_save, without a second history record from simple-history's receiver.
    instance.skip_history_when_saving = True
    try:
        signals.post_save.send(
            sender=model,
            instance=instance,
            created=adding,
            update_fields=None,
            raw=False,
            using=using,
        )
    finally:
        del instance.skip_history_when_saving
