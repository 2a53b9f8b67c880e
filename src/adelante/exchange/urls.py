"""Pages of the exchange app, language-prefixed (/en/…, /es/…): the downloads page and the
staff's spreadsheet import."""

from django.urls import path

from adelante.exchange import staff_import, views

app_name = "exchange"
urlpatterns = [
    path("downloads/", views.downloads, name="downloads"),
    path("staff/import/", staff_import.upload, name="import"),
    path("staff/import/<str:key>/confirm/", staff_import.confirm, name="import-confirm"),
]
