"""Counts that add up: a class's figures merge into its parallel's and the school's."""

from dataclasses import fields


class Sums:
    """Mixed into a dataclass of counts: `merge` adds another's counts to this one's."""

    def merge(self, other) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
