"""The `yiwang` command: Django's management commands under one name.

`yiwang demo` loads the demo city, `yiwang worker` runs background tasks (`make serve` serves
the site with granian); every other Django command (`migrate`, `createsuperuser` ...) works
as usual.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
    execute_from_command_line(list(sys.argv if argv is None else ["yiwang", *argv]))


if __name__ == "__main__":
    main()
