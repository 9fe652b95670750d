"""The diary's child switcher: every child the viewer reads as family, in every school.

A parent of children in two schools switches between them at the top of the diary, one tap
apart; the same school's children come with the page's pupil (viewer_pupils), the other
schools' ones in one more query — only for a viewer who is family in another school.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, Subquery
from django_scopes import scopes_disabled

from accounts.models import Membership, PupilUserObjectPermission, Role
from accounts.navigation import cached_reverse
from schedule.models import Enrolment, SchoolClass

FAMILY_ROLES = (Role.PARENT, Role.PUPIL)


@dataclass(frozen=True)
class Child:
    pk: int
    name: str  # «Анна Иванова»
    class_name: str  # «5А», or "" between classes
    school_slug: str
    school_name: str

    def url(self, tab_url: str, query: str) -> str:
        return cached_reverse(tab_url, school_slug=self.school_slug, pupil=self.pk) + query


def _class_name(grade, letter) -> str:
    if grade is None:
        return ""
    return SchoolClass(grade=grade, letter=letter).name


def children_elsewhere(user, school, day: date) -> list[Child]:
    """The viewer's children (or the pupil themselves) in other schools, with the class they
    are in on `day`: one query. A grant counts only while its family role is held there."""
    with scopes_disabled():
        current = Enrolment.objects.filter(
            pupil_id=OuterRef("content_object_id"), start__lte=day
        ).filter(Q(end__isnull=True) | Q(end__gte=day))
        live = Membership.objects.active().filter(
            user_id=user.pk, school_id=OuterRef("content_object__school_id"), role__in=FAMILY_ROLES
        )
        rows = (
            PupilUserObjectPermission.objects.filter(
                user_id=user.pk, permission__codename="view_pupil"
            )
            .exclude(content_object__school_id=school.pk)
            .filter(Exists(live))
            .annotate(
                grade=Subquery(current.order_by("-start").values("school_class__grade")[:1]),
                letter=Subquery(current.order_by("-start").values("school_class__letter")[:1]),
            )
            .values_list(
                "content_object_id",
                "content_object__first_name",
                "content_object__last_name",
                "grade",
                "letter",
                "content_object__school__slug",
                "content_object__school__short_name",
            )
            .order_by("content_object__school__short_name", "content_object__last_name")
        )
        return [
            Child(pk, f"{first} {last}", _class_name(grade, letter), slug, short)
            for pk, first, last, grade, letter, slug, short in rows
        ]


def switcher(user, school, pupils, day: date, *, elsewhere: bool) -> list[Child]:
    """The children to switch between: this school's (from the page's own query) first."""
    here = [
        Child(
            p.pk,
            f"{p.first_name} {p.last_name}",
            p.school_class.name if p.school_class else "",
            school.slug,
            school.short_name,
        )
        for p in pupils
    ]
    return here + (children_elsewhere(user, school, day) if elsewhere else [])
