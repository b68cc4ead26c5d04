"""What a refused request showed of people (152-ФЗ): an error's ``disclosures`` written to the access log on
their own, after the request's work is rolled back (the pages and the API call ``record`` from their error
handlers; the caller commits)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import log_access
from engine.errors import NastavnikError


def record(session: Session, error: NastavnikError) -> int:
    """The error's disclosures as access log entries; how many."""
    for shown in error.disclosures:
        log_access(session, shown.subject_id, shown.purpose, viewer=shown.viewer_id, fields=list(shown.fields))
    return len(error.disclosures)
