from django.db import transaction

from accounts.models import AccessCode, ParentLink, Role
from accounts.services import issue_family_code

from ..models import SchoolClass


def taken_seats(pupils, roles) -> set[tuple]:
    """(pupil, role, parent kind) already covered: by a code still usable, by a parent of that
    kind already linked, by the pupil's own account. Two queries."""
    seats = set(
        AccessCode.objects.usable()
        .filter(pupil__in=pupils, role__in=roles)
        .values_list("pupil_id", "role", "parent_kind")
    )
    if Role.PARENT in roles:
        linked = ParentLink.objects.filter(pupil__in=pupils).values_list("pupil_id", "kind")
        seats |= {(pupil_id, Role.PARENT, kind) for pupil_id, kind in linked}
    if Role.PUPIL in roles:
        seats |= {(p.pk, Role.PUPIL, "") for p in pupils if p.user_id}
    return seats


@transaction.atomic
def issue_class_codes(
    school_class, pupils, roles, *, created_by, parent_kinds=(), only_missing=True
) -> list[dict]:
    """Issue codes for a class: one for each parent named by `parent_kinds` (мать, отец…) and
    one for the pupil; returns slips carrying the raw codes, once.

    The class is locked first: of two issues at once (two tabs), the second waits and then
    sees the first one's codes, so «only to those without a code» holds.
    """
    list(SchoolClass.objects.select_for_update().filter(pk=school_class.pk).values("pk"))
    pupils = list(pupils)
    kinds = list(parent_kinds) or [ParentLink.Kind.GUARDIAN]
    seats = [(role, kind) for role in roles for kind in (kinds if role == Role.PARENT else [""])]
    taken = taken_seats(pupils, roles) if only_missing else set()
    slips = []
    for pupil in pupils:
        for role, kind in seats:
            if (pupil.pk, role, kind) in taken:
                continue
            code, raw = issue_family_code(pupil, role=role, parent_kind=kind, by=created_by)
            slips.append({"pupil": pupil, "code": code, "raw": raw})
    return slips
