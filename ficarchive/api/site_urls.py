"""The token settings page at the site's own address, /users/NAME/tokens. Mounted by
config/urls.py with ``path("", include("ficarchive.api.site_urls"))``."""

from django.urls import path

from . import pages

app_name = "api_site"
urlpatterns = [
    path("users/<str:username>/tokens", pages.tokens, name="tokens"),
]
