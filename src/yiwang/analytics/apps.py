from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "yiwang.analytics"
    label = "analytics"
    verbose_name = "统计分析"
