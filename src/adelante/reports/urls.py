from django.urls import path

from adelante.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("figures/", views.confidential_figures, name="confidential_figures"),
]
