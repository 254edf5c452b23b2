"""Learned dispatch: the model learns, is measured on later days, is saved and used; routing
rules override it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from yiwang.hotline.classifier import (
    Sample,
    current_model,
    fit,
    split_by_time,
    top_k_accuracy,
    train_dispatch_model,
)
from yiwang.hotline.models import DispatchModelRun, RoutingRule
from yiwang.hotline.selectors import dispatch_suggestion, suggest_department
from yiwang.hotline.services import ticket_dispatch
from yiwang.hotline.tests.factories import make_hotline, report

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)

ROADS = ("府前路井盖破损，行人踩空", "人民路路面塌陷有大坑", "河滨路窨井盖缺失很危险",
         "朝阳路人行道地砖松动", "解放路路面坑洼积水")  # fmt: skip
LIGHTS = ("中山路路灯不亮一片漆黑", "建设路路灯白天一直亮着", "新华路路灯杆倾斜灯罩脱落",
          "滨江路好几盏路灯坏了", "湖滨路晚上路灯闪烁")  # fmt: skip


def test_a_separable_toy_set_is_learned_perfectly():
    samples = [
        Sample(START + timedelta(hours=i), text, department)
        for i, (text, department) in enumerate(
            [(t, 1) for t in ROADS * 4] + [(t, 2) for t in LIGHTS * 4]
        )
    ]
    model = fit(samples)
    assert sorted(model.classes) == [1, 2]
    assert top_k_accuracy(model, samples, 1) == 1.0
    [[(best, confidence), (_other, rest)]] = model.predict(["东门路路灯不亮"], k=2)
    assert best == 2
    assert confidence > rest


def test_the_split_is_by_time():
    samples = [Sample(START + timedelta(days=i), f"文本{i}", i % 2) for i in range(10)]
    train, test, split_at = split_by_time(samples, 0.8)
    assert [s.text for s in train] == [f"文本{i}" for i in range(8)]
    assert [s.text for s in test] == ["文本8", "文本9"]
    assert split_at == samples[8].received_at


def _history(setup):
    """40 dispatched tickets over 8 days: road damage to one unit, lights to the other."""
    for i in range(40):
        roads = i % 2 == 0
        text = (ROADS if roads else LIGHTS)[i // 2 % 5]
        ticket = report(
            setup, content=f"{text}，请尽快处理。", received_at=START + timedelta(hours=5 * i)
        )
        ticket_dispatch(ticket=ticket, lead=setup.roads if roads else setup.lights, actor=None)


@pytest.mark.django_db
def test_training_measures_on_later_days_saves_and_suggests(tmp_path):
    setup = make_hotline()
    _history(setup)
    run = train_dispatch_model(directory=tmp_path)
    assert run is not None
    assert (run.n_train + run.n_test, run.n_classes) == (40, 2)
    assert 5 <= run.n_test <= 12
    assert run.top1_accuracy == 1.0
    assert run.top1_accuracy > run.baseline_accuracy
    assert run.split_at is not None
    assert run.period_start is not None
    assert run.split_at > run.period_start
    assert (tmp_path / run.model_file.rsplit("/", 1)[-1]).exists()
    assert current_model() is not None
    [(department, confidence), *_] = suggest_department("东门路路灯坏了好几天")
    assert department == setup.lights
    assert 0.5 < confidence <= 1
    # A new run replaces the old one.
    again = train_dispatch_model(directory=tmp_path)
    assert again is not None
    assert list(DispatchModelRun.objects.filter(is_active=True)) == [again]


@pytest.mark.django_db
def test_too_few_tickets_train_nothing(tmp_path):
    setup = make_hotline()
    report(setup)
    assert train_dispatch_model(directory=tmp_path) is None
    assert suggest_department("路灯不亮") == []


@pytest.mark.django_db
def test_a_matching_rule_overrides_the_model(tmp_path):
    setup = make_hotline()
    _history(setup)
    train_dispatch_model(directory=tmp_path)
    ticket = report(setup, content="府前路路灯不亮，晚上很黑")
    # No rule: the category's default unit is not a rule, the model decides.
    assert suggest_department(ticket)[0][0] == setup.lights
    suggestion = dispatch_suggestion(ticket)
    assert suggestion is not None
    assert (suggestion.lead, suggestion.source) == (setup.lights, "model")
    RoutingRule.objects.create(
        name="井盖归城管", category=setup.manhole, lead_department=setup.roads
    )
    assert suggest_department(ticket) == [(setup.roads, 1.0)]
    suggestion = dispatch_suggestion(ticket)
    assert suggestion is not None
    assert (suggestion.lead, suggestion.source) == (setup.roads, "rule")


@pytest.mark.django_db
def test_without_a_model_a_ticket_gets_its_category_default(tmp_path):
    setup = make_hotline()
    ticket = report(setup)
    assert suggest_department(ticket) == [(setup.roads, 1.0)]
    DispatchModelRun.objects.create(
        algorithm="x", model_file=str(tmp_path / "missing.joblib"), n_train=1, n_test=1,
        n_classes=2, top1_accuracy=1, top3_accuracy=1, baseline_accuracy=0.5,
        training_seconds=0,
    )  # fmt: skip
    assert current_model() is None
    assert suggest_department("路灯不亮") == []
