"""Pages of the exchange app, language-prefixed (/en/…, /es/…): the downloads page and the
staff's spreadsheet import."""

from django.urls import path

from adelante.exchange import staff_import, views

app_name = "exchange"
urlpatterns = [
    path("downloads/", views.downloads, name="downloads"),
    path("staff/import/", staff_import.upload, name="import"),
    path("staff/import/jobs/<uuid:job_id>/", staff_import.job_page, name="import-job"),
    path(
        "staff/import/jobs/<uuid:job_id>/status/",
        staff_import.job_status,
        name="import-job-status",
    ),
    path(
        "staff/import/jobs/<uuid:job_id>/confirm/",
        staff_import.job_confirm,
        name="import-job-confirm",
    ),
]
