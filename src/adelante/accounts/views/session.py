"""Sign-in, sign-out and the signed-in home page (first cut; lockout and two-factor follow)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

sign_in = auth_views.LoginView.as_view(template_name="accounts/sign_in.html")
sign_out = require_POST(auth_views.LogoutView.as_view())


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")
