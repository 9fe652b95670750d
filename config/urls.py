from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts.urls import account_urlpatterns, school_urlpatterns

# Each app contributes the pages of one school; all of them live under /s/<school_slug>/,
# where SchoolMiddleware resolves the tenant once.
school_patterns = [
    path("", include((school_urlpatterns, "accounts"))),
    path("", include("schedule.urls")),
    path("", include("grading.urls")),
    path("", include("journal.urls")),
    path("", include("reports.urls")),
    path("", include("archive.urls")),
]

urlpatterns = [
    path("", include("ops.urls")),
    path("admin/", admin.site.urls),
    path("auth/login/", account_views.SignInView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "auth/password/change/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "auth/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "auth/password/reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "auth/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "auth/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "auth/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include((account_urlpatterns, "account"))),
    path("s/<slug:school_slug>/", include(school_patterns)),
    # An organisation's roll-ups of its schools (a college and its branches).
    path("o/<slug:org_slug>/", include("reports.urls_organisation")),
]

# A database that does not answer is a Russian 503 page, not a bare 500 (ops/views.py).
handler500 = "ops.views.server_error"
