"""IATI URLs, included by the project under /api/v1/iati/."""

from django.urls import path

from adelante.iati import views

app_name = "iati"
urlpatterns = [path("activities.xml", views.activities_xml, name="activities")]
