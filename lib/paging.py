"""Long lists in pages of a fixed size: a page's cost depends on the page, not on the school.

`page_of(request, items, per_page)` gives Django's Page with `keep`: the request's other
parameters (year, class…) for the pager's links (templates/pager.html, in Russian).
"""

from django.core.paginator import Page, Paginator


def page_of(request, items, per_page: int, param: str = "page") -> Page:
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.keep = query.urlencode()
    page.param = param
    return page
