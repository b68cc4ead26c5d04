"""Documents the system issues, rendered as plain text (UTF-8, ``\\n`` newlines, deterministic).

Only the text lives here: no database access. ``engine.services`` resolves people, groups and programs
into plain data, calls the renderers and stores the result."""
from engine.documents.orders import (
    DRAFT_DATE_LINE,
    DRAFT_MARK,
    SIGNATURE_BLANK,
    STAMP_CONFIRMATION,
    TEMPLATES,
    ComposedOrder,
    DocumentSettings,
    OrderDataError,
    OrderTemplate,
    Signatory,
    check_draft,
    compose_order,
    document_sha256,
    finalize_order,
    initials,
    normalize_data,
    normalize_newlines,
    render_order,
    settings_for,
    signature_stamp,
    template_for,
)

__all__ = [
    "DRAFT_DATE_LINE", "DRAFT_MARK", "SIGNATURE_BLANK", "STAMP_CONFIRMATION", "TEMPLATES", "check_draft",
    "ComposedOrder", "compose_order", "DocumentSettings", "OrderDataError", "OrderTemplate", "Signatory", "document_sha256", "finalize_order",
    "initials", "normalize_data", "normalize_newlines", "render_order", "settings_for", "signature_stamp",
    "template_for",
]
