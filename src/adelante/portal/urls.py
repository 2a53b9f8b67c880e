from django.urls import path

from adelante.portal import views

app_name = "portal"
urlpatterns = [path("", views.overview, name="overview")]
