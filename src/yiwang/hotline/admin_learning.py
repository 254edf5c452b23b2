"""Django admin of learned dispatch: the training runs of the dispatch model with their held-out
accuracy, read-only (a run is made by `yiwang train_dispatch` or the demo load, never by hand).
Imported by `admin.py`. `request` is typed `Any`, as in the other admin modules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yiwang.hotline.models import DispatchModelRun


def _percent(value: float) -> str:
    return f"{value:.1%}"


@admin.register(DispatchModelRun)
class DispatchModelRunAdmin(admin.ModelAdmin[DispatchModelRun]):
    list_display = (
        "trained_at",
        "is_active",
        "n_train",
        "n_test",
        "n_classes",
        "top1",
        "top3",
        "baseline",
        "seconds",
    )
    list_filter = ("is_active",)
    date_hierarchy = "trained_at"
    readonly_fields = [f.name for f in DispatchModelRun._meta.fields]

    @admin.display(description="首选准确率（留出测试）", ordering="top1_accuracy")
    def top1(self, run: DispatchModelRun) -> str:
        return _percent(run.top1_accuracy)

    @admin.display(description="前三准确率", ordering="top3_accuracy")
    def top3(self, run: DispatchModelRun) -> str:
        return _percent(run.top3_accuracy)

    @admin.display(description="基线（最常见单位）", ordering="baseline_accuracy")
    def baseline(self, run: DispatchModelRun) -> str:
        return _percent(run.baseline_accuracy)

    @admin.display(description="训练用时", ordering="training_seconds")
    def seconds(self, run: DispatchModelRun) -> str:
        return f"{run.training_seconds:.1f} 秒"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: DispatchModelRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: DispatchModelRun | None = None) -> bool:
        return False
