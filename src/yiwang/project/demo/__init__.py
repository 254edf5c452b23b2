"""The demo city 示范市: what `yiwang demo` loads (see `loader.py` for the steps).

Well-known data for accounts and browser tests: `DEMO_PEOPLE` (citizens), `DEMO_STAFF_PEOPLE`
(one person per staff role), `DEMO_ENTERPRISES` (with their legal representatives) and
`demo_department(key)`.
"""

from __future__ import annotations

from yiwang.project.demo.context import DemoContext, DemoCount, DemoSummary
from yiwang.project.demo.departments import demo_department
from yiwang.project.demo.enterprises import DEMO_ENTERPRISES, DemoEnterprise
from yiwang.project.demo.loader import DEMO_STEPS, DemoStep, load_demo_city
from yiwang.project.demo.people import DEMO_PEOPLE, DEMO_STAFF_PEOPLE, DemoPerson

__all__ = [
    "DEMO_ENTERPRISES",
    "DEMO_PEOPLE",
    "DEMO_STAFF_PEOPLE",
    "DEMO_STEPS",
    "DemoContext",
    "DemoCount",
    "DemoEnterprise",
    "DemoPerson",
    "DemoStep",
    "DemoSummary",
    "demo_department",
    "load_demo_city",
]
