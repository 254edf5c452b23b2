"""Every environment variable the settings read is documented in `.env.example`, and vice versa.

The list is derived from the settings' source, so a new variable cannot slip in undocumented.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DIR = REPO_ROOT / "src" / "yiwang" / "project" / "settings"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}
NO_DEFAULT = object()
EMPTY = "（空 empty）"
_ASSIGNMENT = re.compile(r"^#?([A-Z][A-Z0-9_]*)=")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DEFAULT_PREFIX = "# 默认 default: "


@dataclass(frozen=True)
class Documented:
    name: str
    comments: tuple[str, ...]

    @property
    def default(self) -> str | None:
        for line in self.comments:
            if line.startswith(_DEFAULT_PREFIX):
                return line.removeprefix(_DEFAULT_PREFIX)
        return None


def _is_os_environ(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _constant_default(call: ast.Call) -> object:
    """The reader's default when it is a literal (shown as in `.env.example`), else NO_DEFAULT."""
    node = next((kw.value for kw in call.keywords if kw.arg == "default"), None)
    if node is None and len(call.args) > 1:
        node = call.args[1]
    if node is None:
        return NO_DEFAULT
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return NO_DEFAULT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ",".join(value)
    return str(value) or EMPTY


def variables_read_by_settings() -> dict[str, object]:
    """Name → literal default of every environment variable read in the settings package."""
    found: dict[str, object] = {}
    for source in sorted(SETTINGS_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            name: str | None = None
            default: object = NO_DEFAULT
            if isinstance(node, ast.Call) and node.args:
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                func = node.func
                if isinstance(func, ast.Name) and func.id in ENV_READERS:
                    name, default = first.value, _constant_default(node)
                elif (
                    isinstance(func, ast.Attribute)
                    and func.attr == "get"
                    and _is_os_environ(func.value)
                ) or (
                    isinstance(func, ast.Attribute)
                    and func.attr == "getenv"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "os"
                ):
                    name = first.value
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and _is_os_environ(node.value)
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                name = node.slice.value
            if name is not None:
                found[name] = default
    return found


def documented_variables() -> dict[str, Documented]:
    documented: dict[str, Documented] = {}
    comments: list[str] = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = _ASSIGNMENT.match(line)
        if match:
            name = match.group(1)
            assert name not in documented, f"{name} is documented twice in .env.example"
            documented[name] = Documented(name, tuple(comments))
            comments = []
        elif line.startswith("#"):
            comments.append(line)
        else:
            comments = []
    return documented


def test_the_settings_source_is_parsed():
    read = variables_read_by_settings()
    assert {"YIWANG_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "YIWANG_DATA_KEYS"} <= set(read)
    assert read["YIWANG_DEBUG"] == "false"
    assert read["YIWANG_ALLOWED_HOSTS"] == "127.0.0.1,localhost,testserver"


def test_every_variable_the_settings_read_is_documented():
    missing = sorted(set(variables_read_by_settings()) - set(documented_variables()))
    assert missing == [], f"add these to .env.example (comment 中文 + English, default): {missing}"


def test_every_documented_variable_is_read_by_the_settings():
    stale = sorted(set(documented_variables()) - set(variables_read_by_settings()))
    assert stale == [], f"remove these from .env.example, the settings no longer read them: {stale}"


def test_every_variable_has_a_chinese_and_english_comment_and_a_default():
    problems = []
    for variable in documented_variables().values():
        prose = [line for line in variable.comments if not line.startswith(_DEFAULT_PREFIX)]
        if not any(_CJK.search(line) for line in prose):
            problems.append(f"{variable.name}: no Chinese comment")
        if not any(re.search(r"[A-Za-z]{3,} [a-z]{2,}", line) for line in prose):
            problems.append(f"{variable.name}: no English comment")
        if variable.default is None:
            problems.append(f"{variable.name}: no '{_DEFAULT_PREFIX}...' line")
    assert problems == []


def test_documented_defaults_match_the_settings():
    documented = documented_variables()
    wrong = []
    for name, default in sorted(variables_read_by_settings().items()):
        if default is NO_DEFAULT or name not in documented:
            continue
        shown = documented[name].default or ""
        # A note may follow the value, e.g. "（仅供开发 development only）".
        if shown != default and not shown.startswith(f"{default} "):
            wrong.append(f"{name}: settings say {default!r}, .env.example says {shown!r}")
    assert wrong == []
