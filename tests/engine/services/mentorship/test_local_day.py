"""One «today» of the organization everywhere. Tomsk is UTC+7: at 17:30 UTC on 6 December it is already 00:30 on
7 December there. The head's order is dated 07.12.2026 — so the mentor's term starts that day, the mentee enters
the base that day, the curator is offered the just-appointed mentor for a pair and the pair is formed; at 10:00 UTC
(17:00 in Tomsk) everything is still 06.12.2026. Orders, terms and registries never disagree by a day."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db.models import Mentee, MentorAppointment, Organization
from engine.documents.basics import today_in
from engine.domain_time import local_day
from engine.services.curation import registries
from engine.services.mentorship import pair_proposals
from engine.services.orders.in_workflows import step_day
from engine.services.process.domain import organization_today

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def _on_the_demo_clock(demo, moment: str) -> None:
    """The demo's steps and the services' own «today» run on the same FixedClock."""
    demo.clock.set(moment)
    bootstrap(clock=demo.clock).attach(demo.session)


def _appointment(demo, login: str) -> MentorAppointment:
    return demo.session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == demo.person_id(login))).one()


@BOTH
@pytest.mark.parametrize(("moment", "day"), [("2026-12-06T17:30:00+00:00", date(2026, 12, 7)),  # 00:30 in Tomsk
                                             ("2026-12-06T10:00:00+00:00", date(2026, 12, 6))])  # 17:00 in Tomsk
def test_the_order_the_term_the_base_and_the_pair_are_on_the_organizations_day(demo, db_session, moment, day):
    _on_the_demo_clock(demo, moment)
    department = db_session.get(Organization, demo.department_id)
    assert organization_today(db_session, department) == today_in(department, demo.clock) == day

    demo.appoint("volkov")  # the head signs the appointment order at once
    appointment = _appointment(demo, "volkov")
    assert appointment.order is not None and appointment.order.issued_on == day  # the order's date …
    assert appointment.starts_on == day  # … is the day the term starts (003 §3.4)
    assert appointment.ends_on == day.replace(year=day.year + 2, day=day.day - 1)  # «сроком на два года»
    assert f"с {day:%d.%m.%Y}" in " ".join(appointment.order.body.split())
    assert step_day(appointment.order.workflow_instance) == day

    demo.register("novikova")
    entry = db_session.scalars(select(Mentee).where(Mentee.person_id == demo.person_id("novikova"))).one()
    assert entry.registered_on == day  # «в базе с …» the same day as the history line

    curator = demo.actor("curator")
    options = pair_proposals.proposal_options(db_session, curator, demo.department_id)  # /pairs/new
    assert demo.person_id("volkov") in [p.id for p in options.mentors]
    assert pair_proposals.check_pair(db_session, curator, demo.department_id, demo.person_id("volkov"), []).mentor_appointed
    [row] = [r for r in registries.mentors(db_session, curator).rows if r.appointment.id == appointment.id]
    assert row.term_state == "active"  # the registry counts the term on the same day

    instance = demo.consented_pair("volkov", "novikova")  # the pair is formed with the just-appointed mentor
    assert instance.status == "running" and step_day(instance) == day


def test_local_day_is_the_day_where_the_organization_is():
    evening = datetime.fromisoformat("2026-12-06T17:30:00+00:00")
    assert local_day(evening, ZoneInfo("Asia/Tomsk")) == date(2026, 12, 7)
    assert local_day(evening, ZoneInfo("Asia/Yekaterinburg")) == date(2026, 12, 6)  # 22:30 there (001)
    assert local_day(evening.replace(hour=16), ZoneInfo("Asia/Yakutsk")) == date(2026, 12, 7)  # 01:00 (004)
    assert local_day(evening.replace(tzinfo=None), ZoneInfo("Asia/Tomsk")) == date(2026, 12, 7)  # naive = UTC
