from django.urls import path

from . import views, views_family
from .views_access_log import AccessLogView

# Pages outside any school: the account itself and redeeming a code.
account_urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("account/", views.ProfileView.as_view(), name="profile"),
    path("account/logins/", views.MyLoginHistoryView.as_view(), name="my_logins"),
    path("account/email/", views.ConfirmEmailView.as_view(), name="confirm_email"),
    path("account/end-sessions/", views.EndAllSessionsView.as_view(), name="end_sessions"),
    path("code/", views.RedeemCodeView.as_view(), name="redeem"),
    path("code/confirm/", views.RedeemConfirmView.as_view(), name="redeem_confirm"),
]

# Pages of one school, mounted under /s/<school_slug>/.
school_urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("people/", views.PeopleListView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("people/<int:pk>/roles/", views.GrantRoleView.as_view(), name="grant_role"),
    path("roles/<int:pk>/end/", views.EndRoleView.as_view(), name="end_role"),
    path("pupils/", views.PupilListView.as_view(), name="pupils"),
    path("pupils/new/", views.PupilCreateView.as_view(), name="pupil_create"),
    path("pupils/<int:pk>/", views.PupilView.as_view(), name="pupil"),
    path("pupils/<int:pk>/edit/", views.PupilUpdateView.as_view(), name="pupil_edit"),
    path("pupils/<int:pk>/consents/", views.ConsentAddView.as_view(), name="consent_add"),
    path(
        "consents/<int:pk>/withdraw/", views.ConsentWithdrawView.as_view(), name="consent_withdraw"
    ),
    path("pupils/<int:pk>/access/", views_family.FamilyAccessView.as_view(), name="family_access"),
    path(
        "pupils/<int:pk>/access/end/",
        views_family.EndFamilyAccessView.as_view(),
        name="end_family_access",
    ),
    path(
        "pupils/<int:pk>/access/code/",
        views_family.FamilyCodeView.as_view(),
        name="family_code",
    ),
    path(
        "pupils/<int:pk>/parents/<int:parent_pk>/",
        views_family.ParentContactsView.as_view(),
        name="parent_contacts",
    ),
    path("codes/", views.StaffCodesView.as_view(), name="staff_codes"),
    path("codes/<int:pk>/revoke/", views.RevokeCodeView.as_view(), name="revoke_code"),
    path("settings/", views.SchoolSettingsView.as_view(), name="settings"),
    path("regulation/", views.RegulationView.as_view(), name="regulation"),
    path("regulation/edit/", views.RegulationEditView.as_view(), name="regulation_edit"),
    path("regulation/preset/", views.RegulationPresetView.as_view(), name="regulation_preset"),
    path("logins/", views.SchoolLoginHistoryView.as_view(), name="logins"),
    path("personal-data-log/", AccessLogView.as_view(), name="access_log"),
]
