from django.urls import path

from .views import classes

app_name = "schedule"

urlpatterns = [
    path("classes/", classes.ClassListView.as_view(), name="classes"),
    path("classes/<int:pk>/", classes.ClassView.as_view(), name="class"),
    path("classes/<int:pk>/codes/", classes.ClassCodesView.as_view(), name="class_codes"),
    path(
        "classes/<int:pk>/codes/<int:code_pk>/revoke/",
        classes.RevokeClassCodeView.as_view(),
        name="revoke_class_code",
    ),
]
