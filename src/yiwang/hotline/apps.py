from importlib import import_module

from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "yiwang.hotline"
    label = "hotline"
    verbose_name = "12345 热线"

    def ready(self) -> None:
        # Event subscriptions register on import; models must be loaded first.
        import_module("yiwang.hotline.handlers")
