"""The day a workflow's order takes effect is the organization's calendar day, the day its order is dated: a
Tomsk head signing at 00:09 local time (17:09 UTC) appoints the mentor from 07.12, not from 06.12 as the UTC
date had it (the order said «с 06.12.2026» under the date 07.12.2026)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from engine.services.orders.in_workflows import step_day
from tests import factories as f


def test_the_step_day_is_the_organizations_calendar_day(db_session):
    tomsk = f.make_department(db_session, regulation="tomsk")
    yakutsk = f.make_department(db_session, regulation="yakutsk")
    moscow = f.make_department(db_session, regulation="tomsk", document_settings={"time_zone": "Europe/Moscow"})
    evening_utc = datetime(2026, 12, 6, 17, 9, tzinfo=UTC)
    days = {}
    for name, organization in (("tomsk", tomsk), ("yakutsk", yakutsk), ("moscow", moscow)):
        instance = f.make_instance(db_session, organization=organization)
        instance.updated_at = evening_utc
        db_session.flush()
        db_session.refresh(instance)  # as stored and read back (SQLite keeps no zone: UTC is assumed)
        days[name] = step_day(instance)
    assert days == {"tomsk": date(2026, 12, 7), "yakutsk": date(2026, 12, 7), "moscow": date(2026, 12, 6)}
