from django import template
from django.utils.html import format_html

from accounts.navigation import cached_reverse, school_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def schoolurl(context, name, **kwargs):
    """{% schoolurl "accounts:person" pk=user.pk %} — a URL inside the current school.

    The school is the request's, or a `school` in the context for parts rendered without a
    request (the journal page's cached part)."""
    request = context.get("request")
    return school_reverse(request.school if request else context["school"], name, **kwargs)


@register.simple_tag
def cached_url(name, **kwargs):
    """{% cached_url "account:home" %} — {% url %} for the layout, without its cost a page."""
    return cached_reverse(name, **kwargs)


@register.simple_tag
def form_token():
    """{% form_token %} — the one-time token of a form that creates something (accounts.once)."""
    from accounts.once import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.simple_tag(takes_context=True)
def role_name(context, role):
    """`{% role_name membership.role %}`: the role as the school's kind says it (a college's
    «Преподаватель», «Куратор», «Студент»; accounts.words)."""
    from accounts.words import words_for

    words = context.get("words") or words_for(getattr(context.get("request"), "school", None))
    return words.role(role)
