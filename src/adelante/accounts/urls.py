"""Accounts URLs, under the language prefix: /<lang>/accounts/… (docs/accounts.md)."""

from django.urls import path

from adelante.accounts.views import session

app_name = "accounts"
urlpatterns = [
    path("sign-in/", session.sign_in, name="sign_in"),
    path("sign-out/", session.sign_out, name="sign_out"),
    path("", session.home, name="home"),
    path("two-factor/", session.two_factor, name="two_factor"),
]
