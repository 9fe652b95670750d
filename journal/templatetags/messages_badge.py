"""{% unread_messages_badge %}: the unread count beside the navigation, from the cache only.

It costs no query on any page: the count is set at sign-in, on the messages and diary pages
and by each new message's task (journal.services.messaging); unknown, nothing is shown.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.navigation import badge_count, school_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages_badge(context):
    request = context.get("request")
    school = getattr(request, "school", None)
    if school is None or not request.user.is_authenticated:
        return ""
    from journal.services.messaging import cached_badge

    count = badge_count(request, "messages", lambda: cached_badge(request.user, school))
    if not count:
        return ""
    return format_html(
        '<a class="unread-badge" href="{}" title="{}">✉ {}</a>',
        school_reverse(school, "journal:messages"),
        _("Непрочитанные сообщения"),
        count,
    )
