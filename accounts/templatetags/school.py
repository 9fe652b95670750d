from django import template

from accounts.navigation import school_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def schoolurl(context, name, **kwargs):
    """{% schoolurl "accounts:person" pk=user.pk %} — a URL inside the current school."""
    return school_reverse(context["request"].school, name, **kwargs)
