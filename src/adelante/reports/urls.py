from django.urls import path

from adelante.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("figures/", views.confidential_figures, name="confidential_figures"),
    path("jobs/<uuid:job_id>/", views.job_page, name="job"),
    path("jobs/<uuid:job_id>/status/", views.job_status, name="job-status"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job-download"),
]
