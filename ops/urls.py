"""Listed here so that they are in the URL map (and the permission matrix); the requests
themselves are answered by ops.middleware.HealthCheckMiddleware before any other."""

from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
