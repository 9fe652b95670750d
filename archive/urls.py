from django.urls import path

from .views import closing, documents, retention, rollover

app_name = "archive"

urlpatterns = [
    path("archive/", documents.ArchiveIndexView.as_view(), name="index"),
    path("archive/years/<int:pk>/build/", documents.StartBuildView.as_view(), name="start_build"),
    path("archive/years/<int:pk>/checklist/", closing.ChecklistView.as_view(), name="checklist"),
    path("archive/years/<int:pk>/close/", closing.CloseYearView.as_view(), name="close_year"),
    path("archive/years/<int:pk>/rollover/", rollover.RolloverView.as_view(), name="rollover"),
    path("archive/builds/<int:pk>/", documents.BuildView.as_view(), name="build"),
    path("archive/parts/<int:pk>/retry/", documents.RetryPartView.as_view(), name="retry_part"),
    path("archive/retention/", retention.RetentionView.as_view(), name="retention"),
    path("archive/acts/", retention.DrawUpActView.as_view(), name="draw_up_act"),
    path("archive/acts/<int:pk>/approve/", retention.ApproveActView.as_view(), name="approve_act"),
    path("archive/documents/<int:pk>/", documents.DocumentFileView.as_view(), name="document"),
]
