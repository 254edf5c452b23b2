"""The `yiwang` command: Django's management commands under one name.

`yiwang demo` loads the demo city, `yiwang serve` serves it with granian, `yiwang worker` runs
background tasks; every other Django command (`migrate`, `createsuperuser` ...) works as usual.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
    args = list(sys.argv if argv is None else ["yiwang", *argv])
    if len(args) > 1 and args[1] == "worker":
        args[1] = "db_worker"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
