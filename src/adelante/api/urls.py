"""URLs under /api/ (not language-prefixed: see src/adelante/urls.py).

Version 1 is the django-ninja API in `adelante.api.v1`. Other parts add their endpoints here:

- IATI (issue 5, `adelante.iati`): either a ninja router, `api.add_router("/iati", router)` in
  `adelante.api.v1._register`, or plain Django views, e.g.
  ``path("v1/iati/", include("adelante.iati.urls"))`` placed *before* the v1 line below.
  Either way they get the API middleware (CORS, rate limit, conditional GET, problem details).
"""

from django.urls import URLPattern, URLResolver, include, path

from adelante.api.v1 import api

urlpatterns: list[URLPattern | URLResolver] = [
    # IATI 2.03 activities (streamed XML), before the ninja API's catch-all.
    path("v1/iati/", include("adelante.iati.urls")),
    path("v1/", api.urls),
]
