from django import template

from accounts.navigation import cached_reverse, school_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def schoolurl(context, name, **kwargs):
    """{% schoolurl "accounts:person" pk=user.pk %} — a URL inside the current school."""
    return school_reverse(context["request"].school, name, **kwargs)


@register.simple_tag
def cached_url(name, **kwargs):
    """{% cached_url "account:home" %} — {% url %} for the layout, without its cost a page."""
    return cached_reverse(name, **kwargs)
