from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog
from django_otp.admin import OTPAdminSite

from ficarchive.core.views import favicon, healthz
from ficarchive.works.views import home

# The front page lists works, so its view lives in works; the project's URLs name it
# "core:home" as before, without core importing a domain app.
core_patterns = (
    [
        path("", home, name="home"),
        path("healthz", healthz, name="healthz"),
        path("favicon.ico", favicon, name="favicon"),
    ],
    "core",
)

# Staff reach the admin only with a second factor (django-otp's documented way of
# turning the default site into its OTP site); set one up at /account/two_factor.
admin.site.__class__ = OTPAdminSite

# The translations of the scripts' strings (``gettext()`` in static JS), loaded by base.html.
# Cached for a day per language (cache_page keys on the active language; base.html puts the
# language in the address too, so a browser's copy changes with the reader's language).
javascript_catalog = cache_page(86400, key_prefix="jsi18n")(JavaScriptCatalog.as_view())

urlpatterns = [
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include(core_patterns)),
    path("", include("ficarchive.site.urls")),
    path("", include("ficarchive.moderation.urls")),
    path("", include("ficarchive.accounts.urls")),
    # Before works: /works/ID/skin and /works/ID/skin.css are the skins app's.
    path("", include("ficarchive.skins.urls")),
    path("", include("ficarchive.works.urls")),
    path("", include("ficarchive.tags.urls")),
    path("", include("ficarchive.feedback.urls")),
    path("", include("ficarchive.discovery.urls")),
    path("", include("ficarchive.reading.urls")),
    path("", include("ficarchive.collections.urls")),
    path("", include("ficarchive.transfer.urls")),
    path("", include("ficarchive.suggest.urls")),
    path("", include("ficarchive.notify.urls")),
    path("", include("ficarchive.api.site_urls")),
    path("api/v1/", include("ficarchive.api.urls")),
]

handler404 = "ficarchive.core.views.not_found"
handler403 = "ficarchive.core.views.forbidden"
handler400 = "ficarchive.core.views.bad_request"
handler500 = "ficarchive.core.views.server_error"
