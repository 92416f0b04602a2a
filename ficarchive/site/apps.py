from django.apps import AppConfig


class SiteConfig(AppConfig):
    """Running the archive: sign-up, site pages, news, accounts people manage."""

    name = "ficarchive.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from ficarchive.core.jobs import job_register, periodic_register
        from ficarchive.works.page_cache import work_page_key_part_register

        from . import exports
        from .context_processors import banner_version

        # The account export is built off the request, and removed when it expires.
        job_register(exports.EXPORT_JOB, exports.export_build, max_attempts=4)
        periodic_register("site.exports_purge", exports.exports_purge, every=exports.PURGE_EVERY)
        # A cached guest work page shows the banner of its version (works.page_cache).
        work_page_key_part_register("banner", banner_version)
