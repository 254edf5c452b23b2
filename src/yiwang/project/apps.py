from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "yiwang.project"
    label = "project"
    verbose_name = "一网"

    def ready(self) -> None:
        from yiwang.project import checks  # noqa: F401, PLC0415 - registers the system checks
