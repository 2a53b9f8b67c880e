"""The secretariat's audit page (docs/accounts.md)."""

from django.urls import path

from adelante.accounts.views import secretariat

app_name = "audit"
urlpatterns = [path("secretariat/audit/", secretariat.audit_page, name="audit")]
