from importlib import import_module

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yiwang.catalog"
    label = "catalog"
    verbose_name = "事项清单与办事指南"

    def ready(self) -> None:
        # Event subscriptions register on import; models must be loaded first.
        import_module("yiwang.catalog.handlers")
