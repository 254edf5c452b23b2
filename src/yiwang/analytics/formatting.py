"""How a rate reads, the same on the page, in the API and in the Excel files: `83.33%`,
`（5/6）`, and "—" when there is no denominator (never 0 %)."""

from __future__ import annotations

from decimal import Decimal

from yiwang.hotline.selectors import Rate

EMPTY = "—"


def number_text(value: Decimal | int) -> str:
    """`5`, `1.5`: a numerator without trailing zeros (partly resolved counts ½)."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def value_text(rate: Rate) -> str | None:
    """The percent with two decimals as a string (`"83.33"`), or None."""
    value = rate.value
    return None if value is None else f"{value:.2f}"


def percent_text(rate: Rate) -> str:
    value = value_text(rate)
    return EMPTY if value is None else f"{value}%"


def fraction_text(rate: Rate) -> str:
    return f"{number_text(rate.numerator)}/{rate.denominator}"


def rate_text(rate: Rate) -> str:
    """`83.33%（5/6）`, or `—（0/0）`."""
    return f"{percent_text(rate)}（{fraction_text(rate)}）"
