from django.db import transaction

from accounts.models import AccessCode

from ..models import SchoolClass


@transaction.atomic
def issue_class_codes(school_class, pupils, roles, *, created_by, only_missing=True) -> list[dict]:
    """Issue parent/pupil codes for a class; returns slips carrying the raw codes, once.

    The class is locked first: of two issues at once (two tabs), the second waits and then
    sees the first one's codes, so «only to those without a code» holds.
    """
    list(SchoolClass.objects.select_for_update().filter(pk=school_class.pk).values("pk"))
    pupils = list(pupils)
    active = set()
    if only_missing:
        active = set(
            AccessCode.objects.usable()
            .filter(pupil__in=pupils, role__in=roles)
            .values_list("pupil_id", "role")
        )
    slips = []
    for pupil in pupils:
        for role in roles:
            if (pupil.pk, role) in active:
                continue
            code, raw = AccessCode.issue(
                school=school_class.school,
                role=role,
                created_by=created_by,
                pupil=pupil,
                intended_for=pupil.full_name,
            )
            slips.append({"pupil": pupil, "code": code, "raw": raw})
    return slips
