from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "yiwang.project"
    label = "project"
    verbose_name = "一网"
