"""The download files themselves, not language-prefixed (stable addresses for scripts)."""

from django.urls import path

from adelante.exchange import views

app_name = "downloads"
urlpatterns = [
    path("template/commitments.xlsx", views.template, name="template"),
    path("<str:name>", views.download, name="file"),
]
