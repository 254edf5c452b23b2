"""The filter forms of the analytics pages. They only parse what was typed; the periods and
filters are checked by the selectors, whose refusals are shown beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.analytics.selectors import FilterChoices


class MonthInput(forms.TextInput):
    input_type = "month"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _options(choices: list[Any], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((c.value, c.label) for c in choices)]


class FiguresForm(forms.Form):
    month = forms.CharField(
        label=_("月份"),
        required=False,
        widget=MonthInput(attrs={"placeholder": "2026-11"}),
        help_text=_("按月统计时填写，例如 2026-11；不填则按下面的起止日期统计。"),
    )
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("请填写正确的日期，例如 2026-11-01。")},
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=DateInput(),
        help_text=_("含当天。起止日期都不填时，统计上一个完整月份。"),
        error_messages={"invalid": _("请填写正确的日期，例如 2026-11-30。")},
    )
    department_id = forms.ChoiceField(label=_("承办单位"), required=False)
    category_id = forms.ChoiceField(label=_("诉求分类"), required=False)
    channel = forms.ChoiceField(label=_("受理渠道"), required=False)
    region_code = forms.ChoiceField(label=_("区域"), required=False)

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["department_id"].choices = _options(choices.departments, str(_("全部承办单位")))  # type: ignore[attr-defined]
        fields["category_id"].choices = _options(choices.categories, str(_("全部分类")))  # type: ignore[attr-defined]
        fields["channel"].choices = _options(choices.channels, str(_("全部渠道")))  # type: ignore[attr-defined]
        fields["region_code"].choices = _options(choices.regions, str(_("全市")))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("month") and bool(data.get("start")) != bool(data.get("end")):
            self.add_error(
                "end" if data.get("start") else "start", _("请同时填写开始日期和结束日期。")
            )
        return data


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("报告月份"),
        required=False,
        widget=MonthInput(attrs={"placeholder": "2026-11"}),
        help_text=_("例如 2026-11；不填则为上一个完整月份。"),
    )
