"""Writes of the licence library. Import from here: `from yiwang.licences.services import ...`."""

from yiwang.licences.services.access import licence_lookup, licence_use, watermark_for
from yiwang.licences.services.bulk import LicenceToIssue, licences_issue_bulk
from yiwang.licences.services.imports import (
    ImportProblem,
    LicenceImportReport,
    licence_import_template,
    licence_import_workbook,
)
from yiwang.licences.services.issuing import (
    LicenceTypeData,
    licence_issue,
    licence_renew,
    licence_type_save,
)
from yiwang.licences.services.keys import signing_key_active, signing_key_rotate
from yiwang.licences.services.status import (
    licence_expiry_reminders_send,
    licence_status_change,
    licences_expire_due,
)

__all__ = [
    "ImportProblem",
    "LicenceImportReport",
    "LicenceToIssue",
    "LicenceTypeData",
    "licence_expiry_reminders_send",
    "licence_import_template",
    "licence_import_workbook",
    "licence_issue",
    "licence_lookup",
    "licence_renew",
    "licence_status_change",
    "licence_type_save",
    "licence_use",
    "licences_expire_due",
    "licences_issue_bulk",
    "signing_key_active",
    "signing_key_rotate",
    "watermark_for",
]
