"""Public catalogue pages (no sign-in): browse, search, guides, themes, bundles.

Every view parses its input, calls one selector (or the search engine) and renders; rules live in
selectors and services.
"""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.catalog.models import Audience, ExerciseLevel, OnlineDepth, ThemeKind
from yiwang.catalog.search import search_catalogue, suggest
from yiwang.catalog.selectors import public
from yiwang.platform.errors import InvalidInput

PAGE_SIZE = 20


def _int(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise InvalidInput(f"参数“{name}”应为正整数。", code="query_invalid")
    return int(raw)


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "life_events": public.themes_of(audience=Audience.PERSON, kind=ThemeKind.LIFE_EVENT),
        "person_themes": public.themes_of(audience=Audience.PERSON),
        "enterprise_themes": public.themes_of(audience=Audience.ENTERPRISE),
        "enterprise_events": public.themes_of(
            audience=Audience.ENTERPRISE, kind=ThemeKind.LIFE_EVENT
        ),
        "bundles": public.bundles_public()[:12],
        "departments": public.departments_with_items(),
        "popular": public.popular_items(8),
    }
    return render(request, "catalog/home.html", context)


def item_list(request: HttpRequest) -> HttpResponse:
    filters = public.ItemFilters(
        department_id=_int(request, "department"),
        theme_code=request.GET.get("theme", "").strip(),
        exercise_level=request.GET.get("level", "").strip(),
        min_depth=_int(request, "depth"),
        visit_tag=request.GET.get("visits", "").strip(),
        audience=request.GET.get("audience", "").strip(),
    )
    page = public.items_browse(
        filters=filters, page=_int(request, "page", 1) or 1, page_size=PAGE_SIZE
    )
    context = {
        "page": page,
        "filters": filters,
        "levels": ExerciseLevel.choices,
        "depths": OnlineDepth.choices,
        "departments": public.departments_with_items(),
        "query_string": _without_page(request),
    }
    template = "catalog/_item_results.html" if _is_htmx(request) else "catalog/items.html"
    return render(request, template, context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = None
    page = None
    if query:
        results = search_catalogue(
            query=query, page=_int(request, "page", 1) or 1, page_size=PAGE_SIZE
        )
        page = public.PageOf(
            rows=results.hits, total=results.total, page=results.page, page_size=results.page_size
        )
    context = {
        "query": query,
        "results": results,
        "page": page,
        "query_string": _without_page(request),
    }
    template = "catalog/_search_results.html" if _is_htmx(request) else "catalog/search.html"
    return render(request, template, context)


def suggestions(request: HttpRequest) -> HttpResponse:
    prefix = request.GET.get("q", "").strip()[:50]
    words = suggest(prefix=prefix, limit=8) if prefix else []
    return render(request, "catalog/_suggestions.html", {"words": words})


def guide(request: HttpRequest, item_id: int) -> HttpResponse:
    version = public.guide_for_public(item_id)
    context = {
        "version": version,
        "item": version.item,
        "licence_names": public.licence_names_of(version),
    }
    return render(request, "catalog/guide.html", context)


def history(request: HttpRequest, item_id: int) -> HttpResponse:
    versions = public.public_history(item_id)
    return render(request, "catalog/history.html", {"versions": versions, "item_id": item_id})


def material_file(request: HttpRequest, material_id: int, kind: str) -> FileResponse:
    file = public.material_file_for_public(material_id, kind)
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=PurePath(file.name or "form").name
    )


def theme(request: HttpRequest, code: str) -> HttpResponse:
    current = public.theme_for_public(code)
    page = public.items_browse(
        filters=public.ItemFilters(theme_code=code),
        page=_int(request, "page", 1) or 1,
        page_size=PAGE_SIZE,
    )
    steps = [line.strip() for line in current.steps_note.splitlines() if line.strip()]
    context = {
        "theme": current,
        "page": page,
        "steps": steps,
        "query_string": _without_page(request),
    }
    return render(request, "catalog/theme.html", context)


def licence_catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/licences.html", {"licence_types": public.licence_catalogue()})


def bundles(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/bundles.html", {"bundles": public.bundles_public()})


def bundle(request: HttpRequest, bundle_id: int) -> HttpResponse:
    current = public.bundle_for_public(bundle_id)
    return render(request, "catalog/bundle.html", {"bundle": current})


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx request gets the partial; a plain one the full page (UI.md)."""
    return request.headers.get("HX-Request") == "true"


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
