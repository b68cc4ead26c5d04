"""The curator's step pages count on the organization's day, like its orders: after midnight in Tomsk (17:30 UTC)
a mentor appointed by an order of 07.12.2026 is offered as the new mentor of a replacement petition and accepted
by the step; at 10:00 UTC (17:00 in Tomsk) the same story happens on 06.12.2026."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db.models import MentorAppointment, OpenTask
from engine.services.curation import step_completion, step_page
from engine.services.mentorship import lifecycle
from engine.services.orders.in_workflows import step_day
from tests.engine.services.curation.test_inbox import program_with_report

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@BOTH
@pytest.mark.parametrize(("moment", "day"), [("2026-12-06T17:30:00+00:00", date(2026, 12, 7)),
                                             ("2026-12-06T10:00:00+00:00", date(2026, 12, 6))])
def test_a_replacement_offers_the_mentor_appointed_on_the_organizations_day(demo, db_session, moment, day):
    demo.clock.set("2026-12-01T09:00:00+00:00")
    bootstrap(clock=demo.clock).attach(db_session)  # the services' own «today» on the demo's clock
    program = program_with_report(demo)
    demo.clock.set(moment)
    demo.appoint("morozova")
    appointment = db_session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == demo.person_id("morozova"))).one()
    assert appointment.order is not None and appointment.starts_on == appointment.order.issued_on == day

    lifecycle.petition(db_session, demo.actor("orlova"), program.id, "mentor_replacement",
                       {"reason": "переезд наставника"}, clock=demo.clock)
    db_session.commit()
    task = db_session.scalar(select(OpenTask).where(OpenTask.form_id == "decide_petition"))
    curator = demo.actor("curator")
    page = step_page.task_page(db_session, curator, task.instance_id, task.task_id)
    assert step_day(page.instance) == day
    assert [p.login for p in page.mentor_choices] == ["morozova"]  # appointed on the step's day
    data = step_completion.task_data(db_session, page, {"approved": True, "new_mentor_id": demo.person_id("morozova"),
                                                       "comment": ""})
    assert data["new_mentor_id"] == demo.person_id("morozova")  # the step accepts her on the same day
