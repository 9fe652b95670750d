"""django-simple-history, made cheaper where it is on every write.

`Model.history` (a `HistoryDescriptor`) builds a new manager class with
`Manager.from_queryset` on every access, and every saved record with history reads it once
(`create_historical_record`): about a tenth of the CPU of saving one journal cell went into
inspecting the queryset's methods to build a class identical to the last one. The class
depends only on the descriptor's manager and queryset classes, so it is built once per
descriptor; each access still gets its own manager of its own instance, as before.
"""

from simple_history.manager import HistoryDescriptor


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
