"""A network mentor is appointed «сроком на один учебный год» (004 III.2): one reading everywhere — the
appointment record, the signed order, the appointment process's term end and its term-end reminder all end the
term on the 31 August closing the academic year (engine/domain_time.py), not 12 months on."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask, Order
from engine.forms import FormId
from engine.services.process import instances
from tests.engine.services.network.centre_world import LITERACY, build_centre, on

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@BOTH
def test_a_mentor_appointed_in_january_serves_through_31_august(db_session):
    world = build_centre(db_session)
    world.at(on(date(2026, 1, 10)))
    appointment = world.appoint("sidorova", LITERACY)
    order = db_session.get(Order, appointment.order_id)
    assert appointment.ends_on == date(2026, 8, 31)
    assert "по 31.08.2026" in " ".join(order.body.split())
    data = instances.snapshot(db_session, order.workflow_instance_id).data
    assert (data["term_ends_on"], data["term_end_at"], data["term_reminder_at"]) == (
        "2026-08-31", "2026-09-01", "2026-08-02")  # not 10.01.2027 / 11.12.2026

    def reminders() -> list[OpenTask]:
        return list(db_session.scalars(select(OpenTask).where(OpenTask.instance_id == order.workflow_instance_id,
                                                              OpenTask.form_id == FormId.ACKNOWLEDGE_REMINDER)))

    world.at("2026-08-01T12:00:00+09:00")
    assert reminders() == []
    world.at("2026-08-02T12:00:00+09:00")  # the curator is reminded while the mentor still serves
    assert len(reminders()) == 1
    world.at("2026-09-01T12:00:00+09:00")  # the term is over the day after 31 August
    db_session.expire_all()
    assert reminders() == []
    assert instances.snapshot(db_session, order.workflow_instance_id).data["appointment_status"] == "expired"
