from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "yiwang.platform"
    label = "platform"
    verbose_name = "平台内核"
