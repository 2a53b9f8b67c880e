"""The join form (public) and the secretariat's join requests (docs/accounts.md)."""

from django.urls import path

from adelante.accounts.views import join, secretariat

app_name = "joining"
urlpatterns = [
    path("join/", join.join, name="join"),
    path("join/sent/", join.sent, name="join_sent"),
    path("join/confirm/<str:token>/", join.confirm, name="join_confirm"),
    path("secretariat/join-requests/", secretariat.join_requests, name="join_requests"),
    path("secretariat/join-requests/<int:pk>/", secretariat.join_request, name="join_request"),
]
