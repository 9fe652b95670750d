from .navigation import entries_for


def navigation(request):
    if not hasattr(request, "school"):
        return {}
    return {"nav_entries": entries_for(request), "school": request.school}
