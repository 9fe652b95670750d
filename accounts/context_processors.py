from .navigation import entries_for
from .words import words_for


def navigation(request):
    if not hasattr(request, "school"):
        return {}
    return {
        "nav_entries": entries_for(request),
        "school": request.school,
        # A college's words where the school is a college (accounts.words).
        "words": words_for(request.school),
    }
