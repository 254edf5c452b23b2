"""What every demo loader step receives (`DemoContext`) and what the run reports (`DemoSummary`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Protocol


class Writer(Protocol):
    """Anything with `write(text)`: a management command's stdout, `io.StringIO`, a file."""

    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class DemoCount:
    label: str  # 中文: "行政区划"
    total: int  # rows of this kind in the database after the step
    created: int  # rows this run added


@dataclass
class DemoSummary:
    seed: int
    counts: list[DemoCount] = field(default_factory=list)

    def add(self, label: str, *, total: int, created: int) -> None:
        self.counts.append(DemoCount(label=label, total=total, created=created))

    def totals(self) -> dict[str, int]:
        return {count.label: count.total for count in self.counts}

    def created(self) -> dict[str, int]:
        return {count.label: count.created for count in self.counts}

    def lines(self) -> list[str]:
        return [f"{c.label}：{c.total} 个（本次新增 {c.created} 个）" for c in self.counts]


@dataclass
class DemoContext:
    seed: int
    stdout: Writer
    summary: DemoSummary

    def rng(self, purpose: str) -> random.Random:
        """A generator of its own for each purpose, so that changing one loader (or adding one)
        never changes the data the others make from the same seed."""
        return random.Random(f"{self.seed}:{purpose}")
