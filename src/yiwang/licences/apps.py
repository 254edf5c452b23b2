from importlib import import_module

from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "yiwang.licences"
    label = "licences"
    verbose_name = "电子证照"

    def ready(self) -> None:
        # Event subscriptions register on import; models must be loaded first.
        import_module("yiwang.licences.handlers")
