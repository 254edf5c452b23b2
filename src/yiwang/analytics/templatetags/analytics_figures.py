"""Filters for the analytics pages: a rate as `83.33%` and its fraction `5/6`."""

from __future__ import annotations

from django import template

from yiwang.analytics import formatting
from yiwang.hotline.selectors import Rate

register = template.Library()


@register.filter
def percent(rate: Rate) -> str:
    return formatting.percent_text(rate)


@register.filter
def fraction(rate: Rate) -> str:
    return formatting.fraction_text(rate)


@register.filter
def has_value(rate: Rate) -> bool:
    return rate.value is not None
