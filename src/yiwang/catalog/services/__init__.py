"""Catalogue writes. Every write is a service here: atomic, audited, events after commit.

Import from this package (`from yiwang.catalog import services`) or from its modules: `items`
(implementation items), `versions` (guide versions: edit a draft, revise, publish, retire),
`bundles` (一件事), `reference` (basic items, themes, synonyms, code lists). Spreadsheet import
lives in `imports*` modules, which call these.
"""

from yiwang.catalog.services.bundles import (
    bundle_create,
    bundle_publish,
    bundle_set_members,
    bundle_update,
    bundle_withdraw,
)
from yiwang.catalog.services.items import service_item_create, service_item_update
from yiwang.catalog.services.reference import (
    basic_item_create,
    basic_item_update,
    code_list_entry_create,
    code_list_entry_update,
    synonym_create,
    synonym_delete,
    synonym_update,
    theme_create,
    theme_update,
)
from yiwang.catalog.services.versions import (
    version_draft_from,
    version_publish,
    version_retire,
    version_set_faqs,
    version_set_fees,
    version_set_handling_items,
    version_set_materials,
    version_set_procedure,
    version_set_special_steps,
    version_set_themes,
    version_update,
)

__all__ = [
    "basic_item_create",
    "basic_item_update",
    "bundle_create",
    "bundle_publish",
    "bundle_set_members",
    "bundle_update",
    "bundle_withdraw",
    "code_list_entry_create",
    "code_list_entry_update",
    "service_item_create",
    "service_item_update",
    "synonym_create",
    "synonym_delete",
    "synonym_update",
    "theme_create",
    "theme_update",
    "version_draft_from",
    "version_publish",
    "version_retire",
    "version_set_faqs",
    "version_set_fees",
    "version_set_handling_items",
    "version_set_materials",
    "version_set_procedure",
    "version_set_special_steps",
    "version_set_themes",
    "version_update",
]
