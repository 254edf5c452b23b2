"""Learned dispatch (智能派单): each training run of the model that suggests a lead unit from a
ticket's text, with its held-out accuracy. The model itself is a file under the data directory."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DispatchModelRun(models.Model):
    """One training of the dispatch model: on tickets received before `split_at`, tested on the
    later ones (a split by time, as the model will meet tomorrow's tickets). The newest run with
    a readable file is the one in use."""

    trained_at = models.DateTimeField("训练时间", default=timezone.now)
    algorithm = models.CharField("算法", max_length=200)
    model_file = models.CharField("模型文件", max_length=300)
    n_train = models.PositiveIntegerField("训练工单数")
    n_test = models.PositiveIntegerField("测试工单数")
    n_classes = models.PositiveIntegerField("承办单位数")
    period_start = models.DateTimeField("样本起始", null=True, blank=True)
    split_at = models.DateTimeField("训练/测试分界", null=True, blank=True)
    period_end = models.DateTimeField("样本截止", null=True, blank=True)
    top1_accuracy = models.FloatField("首选准确率")
    top3_accuracy = models.FloatField("前三准确率")
    baseline_accuracy = models.FloatField("基线准确率（全部派给最常见单位）")
    training_seconds = models.FloatField("训练用时（秒）")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "智能派单模型"
        verbose_name_plural = verbose_name
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} 首选 {self.top1_accuracy:.1%}"
