from django.apps import AppConfig


class SkinsConfig(AppConfig):
    name = "ficarchive.skins"
    label = "skins"
    verbose_name = "skins"

    def ready(self) -> None:
        # works sits below skins: the work page learns of its skin through its registry.
        from ficarchive.works.pages import work_page_flag_register, work_page_part_register

        from .selectors import SKIN_FLAG, skin_flag
        from .views import work_page_part

        work_page_part_register("skins", work_page_part)
        work_page_flag_register(SKIN_FLAG, skin_flag)
