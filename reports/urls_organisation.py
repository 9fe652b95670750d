"""Pages of one organisation, mounted under /o/<org_slug>/ (accounts.middleware resolves it)."""

from django.urls import path

from .views.organisation import (
    OrganisationActivityView,
    OrganisationAttendanceView,
    OrganisationHomeView,
)

app_name = "org"

urlpatterns = [
    path("", OrganisationHomeView.as_view(), name="home"),
    path("attendance/", OrganisationAttendanceView.as_view(), name="attendance"),
    path("activity/", OrganisationActivityView.as_view(), name="activity"),
]
