"""Public corrections (/corrections/…) and the secretariat's queue of them
(docs/corrections.md lists who may use each)."""

from django.urls import path

from adelante.corrections.views import public, secretariat

app_name = "corrections"
urlpatterns = [
    path("corrections/", public.public_log, name="log"),
    path("corrections/suggest/<str:subject>/<str:key>/", public.suggest, name="suggest"),
    path("corrections/sent/", public.sent, name="sent"),
    path("corrections/confirm/<str:token>/", public.confirm, name="confirm"),
    path("secretariat/corrections/", secretariat.queue, name="queue"),
    path("secretariat/corrections/<int:pk>/", secretariat.review, name="review"),
]
