from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yiwang.catalog"
    label = "catalog"
    verbose_name = "事项清单与办事指南"
