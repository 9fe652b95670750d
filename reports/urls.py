from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="notices"),
    path("digests/<int:pk>/", views.DigestView.as_view(), name="digest"),
    path("digests/", views.DigestLogView.as_view(), name="digest_log"),
    path("weekly/", views.WeeklyClassesView.as_view(), name="weekly"),
    path("weekly/<int:pk>/", views.WeeklyPdfView.as_view(), name="weekly_pdf"),
]
