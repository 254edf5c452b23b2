"""Loads the demo population and business registries that the sandbox real-name gateway checks."""

from __future__ import annotations

from yiwang.platform.models import SandboxEnterpriseRecord, SandboxPersonRecord
from yiwang.platform.services import sandbox_registry_add_enterprises, sandbox_registry_add_people
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.enterprises import build_enterprises
from yiwang.project.demo.people import build_population


def load_registry(ctx: DemoContext) -> None:
    population = build_population(ctx.rng("population"))
    enterprises = build_enterprises(ctx.rng("enterprises"), population)
    added_people = sandbox_registry_add_people(population)
    added_enterprises = sandbox_registry_add_enterprises(enterprises)
    ctx.summary.add("沙箱人口登记", total=SandboxPersonRecord.objects.count(), created=added_people)
    ctx.summary.add(
        "沙箱企业登记", total=SandboxEnterpriseRecord.objects.count(), created=added_enterprises
    )
