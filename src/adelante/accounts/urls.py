"""Accounts URLs, under the language prefix: /<lang>/accounts/… (docs/accounts.md)."""

from django.urls import path

from adelante.accounts.views import invitations, password, session, twofactor

app_name = "accounts"
urlpatterns = [
    path("", session.home, name="home"),
    path("sign-in/", session.sign_in, name="sign_in"),
    path("sign-out/", session.sign_out, name="sign_out"),
    path("work/", session.work, name="work"),
    path("language/", session.language, name="language"),
    path("two-factor/", twofactor.two_factor, name="two_factor"),
    path("two-factor/enrol/", twofactor.enrol, name="two_factor_enrol"),
    path("two-factor/remove/", twofactor.remove, name="two_factor_remove"),
    path("password-reset/", password.reset, name="password_reset"),
    path("password-reset/sent/", password.reset_sent, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", password.reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", password.reset_complete, name="password_reset_complete"),
    path("invitations/<str:token>/", invitations.accept, name="invitation"),
    path("partners/<slug:partner>/people/", invitations.people, name="people"),
]
