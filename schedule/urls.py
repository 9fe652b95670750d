from django.urls import path

from . import views

app_name = "schedule"

urlpatterns = [
    path("classes/", views.ClassListView.as_view(), name="classes"),
    path("classes/<int:pk>/", views.ClassView.as_view(), name="class"),
    path("classes/<int:pk>/codes/", views.ClassCodesView.as_view(), name="class_codes"),
    path(
        "classes/<int:pk>/codes/<int:code_pk>/revoke/",
        views.RevokeClassCodeView.as_view(),
        name="revoke_class_code",
    ),
]
