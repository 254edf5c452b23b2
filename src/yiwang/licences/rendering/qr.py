"""The QR code on a licence: the URL of its public verify page, as inline SVG for pages and as a
module matrix for the PDF (drawn there as vector squares)."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

# Medium error correction survives a scuffed phone screen or a creased print-out.
ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules of light border that scanners need around the symbol


def verify_path(identifier: str) -> str:
    """/licences/verify/<identifier>/ (the identifier is upper-case letters, digits and dots)."""
    return reverse("licences:verify_result", kwargs={"identifier": identifier})


def verify_url(identifier: str, *, base_url: str) -> str:
    """The absolute verify URL: `base_url` is the site's scheme and host (e.g. from
    `request.build_absolute_uri("/")`)."""
    return base_url.rstrip("/") + verify_path(identifier)


def _make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, label: str) -> SafeString:
    """An inline SVG that scales to its container (viewBox, no fixed size), black on white,
    named `label` for screen readers."""
    svg = _make(url).svg_inline(
        scale=1,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="licence-qr-code",
        title=label,
    )
    # segno writes the markup itself and escapes the title; the URL is only encoded as modules.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def qr_matrix(url: str) -> list[list[bool]]:
    """Rows of modules, True for dark, without the quiet zone (the caller leaves it blank)."""
    return [[bool(module) for module in row] for row in _make(url).matrix]
