"""{% shortfalls_badge %}: the user's open shortfalls beside the navigation, from the cache
only (reports.services.control_counts): no query on any page; unknown or none, nothing."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.navigation import badge_count, school_reverse

from ..services.control_counts import cached_count

register = template.Library()


@register.simple_tag(takes_context=True)
def shortfalls_badge(context):
    request = context.get("request")
    school = getattr(request, "school", None)
    if school is None or not request.user.is_authenticated:
        return ""
    count = badge_count(request, "shortfalls", lambda: cached_count(school.pk, request.user.pk))
    if not count:
        return ""
    return format_html(
        '<a class="shortfalls-badge" href="{}" title="{}">⚑ {}</a>',
        school_reverse(school, "journal:today"),
        _("Недочёты в журнале"),
        count,
    )
