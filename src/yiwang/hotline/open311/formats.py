"""GeoReport v2 documents in XML and JSON from one description, and the spec's error bodies.

A document is plain data: a dict is an element with children in the given order, `Many` is a
list (XML: one child element per item under the list's element; JSON: an array), a scalar is
text. `None` is an empty element in XML and `null` in JSON. XML is written with the standard
library (ElementTree escapes text) and starts with the declaration the spec asks for.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from typing import Union

from django.utils import timezone

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'

Scalar = Union[str, int, float, bool, None]  # noqa: UP007 — a runtime alias
Value = Union[Scalar, "Many", dict[str, "Value"]]

# Characters XML 1.0 does not allow, even escaped (C0 controls other than tab, LF, CR).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Many:
    """A list: in XML, an element per item named `item`; in JSON, an array."""

    item: str
    items: list[Value]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in local time with its offset: `2026-11-22T15:11:18+08:00`."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Scalar) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Value) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, value)


def _fill(element: ET.Element, value: Value) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _append(element, name, child)
    elif isinstance(value, Many):
        for item in value.items:
            _append(element, value.item, item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Value) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + "\n" + ET.tostring(element, encoding="unicode") + "\n"


def _plain(value: Value) -> object:
    if isinstance(value, dict):
        return {name: _plain(child) for name, child in value.items()}
    if isinstance(value, Many):
        return [_plain(item) for item in value.items]
    return value


def to_json(value: Value) -> str:
    return json.dumps(_plain(value), ensure_ascii=False)


@dataclass(frozen=True)
class Rendered:
    """A document ready to send (the view turns it into an HTTP response)."""

    body: bytes
    content_type: str
    status: int = 200


def document(fmt: str, root: str, value: Value, *, status: int = 200) -> Rendered:
    """In the asked format: XML under `<root>`, JSON as the bare value (so a root list becomes
    an array, as the spec's JSON mirrors its XML)."""
    body = to_xml(root, value) if fmt == XML else to_json(value)
    return Rendered(body.encode("utf-8"), CONTENT_TYPES[fmt], status)


def errors(fmt: str, status: int, *descriptions: str, code: int | None = None) -> Rendered:
    """The spec's error body: a list of `{code, description}` under `<errors>`."""
    items: list[Value] = [
        {"code": code or status, "description": description} for description in descriptions
    ]
    return document(fmt, "errors", Many("error", items), status=status)
