from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "ficarchive.reading"
    label = "reading"

    def ready(self) -> None:
        # works and discovery sit below reading: they learn of it through their registries.
        from ficarchive.discovery.plan import reader_sets_register
        from ficarchive.discovery.search import blurb_state_register
        from ficarchive.works.pages import work_page_part_register

        from .selectors import blurb_states, reader_sets, reader_subquery
        from .views import work_page_part

        work_page_part_register("reading", work_page_part)
        reader_sets_register(reader_sets, reader_subquery)
        blurb_state_register(blurb_states)
