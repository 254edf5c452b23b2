"""`yiwang train_dispatch`: train the learned dispatch model on past dispatched tickets, test it
on the later days, save it under DATA_DIR/models/ and make it the one in use."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.hotline.classifier import DEFAULT_MAX_TICKETS, train_dispatch_model


class Command(BaseCommand):
    help = "训练智能派单模型（按时间留出测试），保存并启用。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--max-tickets",
            type=int,
            default=DEFAULT_MAX_TICKETS,
            help=f"最多使用最近的多少件已派单工单（默认 {DEFAULT_MAX_TICKETS}）",
        )
        parser.add_argument(
            "--train-share", type=float, default=0.8, help="用于训练的天数比例（默认 0.8）"
        )
        parser.add_argument("--refit", action="store_true", help="测试后用全部样本重新训练再保存")

    def handle(self, *args: Any, **options: Any) -> None:
        share = options["train_share"]
        if not 0 < share < 1:
            raise CommandError("--train-share 应在 0 和 1 之间")
        run = train_dispatch_model(
            max_tickets=options["max_tickets"], train_share=share, refit_on_all=options["refit"]
        )
        if run is None:
            raise CommandError("已派单的工单太少（或只有一个承办单位），无法训练。")
        self.stdout.write(
            f"训练 {run.n_train} 件，测试 {run.n_test} 件（{run.n_classes} 个承办单位），"
            f"首选准确率 {run.top1_accuracy:.1%}，前三准确率 {run.top3_accuracy:.1%}，"
            f"基线 {run.baseline_accuracy:.1%}，用时 {run.training_seconds:.1f} 秒。\n"
            f"模型文件：{run.model_file}"
        )
