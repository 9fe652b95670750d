from django.urls import path

from .views import digests, weekly

app_name = "reports"

urlpatterns = [
    path("notices/", digests.NoticeListView.as_view(), name="notices"),
    path("digests/<int:pk>/", digests.DigestView.as_view(), name="digest"),
    path("digests/", digests.DigestLogView.as_view(), name="digest_log"),
    path("weekly/", weekly.WeeklyClassesView.as_view(), name="weekly"),
    path("weekly/<int:pk>/", weekly.WeeklyPdfView.as_view(), name="weekly_pdf"),
]
