"""A mentor leaves a program (003 §4.1) or is replaced at the mentee's request (003 §5.1), told as the people do
it: after the head signs «Об освобождении от обязанностей наставника» the program has no mentor — the released
mentor no longer sees it or any of its tasks — and the curator, as the order's item 2 tells her, proposes a new
mentor or ends the program early. A new mentor, whichever way he comes, first gives his written consent (003 §3.2,
§6.2); a refusal goes back to the curator and no order is drafted."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import Consent, OpenTask, Order, Program
from engine.demo.story import Demo
from engine.errors import NastavnikError
from engine.services.curation import step_completion
from engine.services.mentorship import lifecycle, participant_views, participant_work, program_views
from engine.services.process import instances

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def pair(demo: Demo) -> Program:
    for mentor in ("volkov", "morozova"):
        demo.appoint(mentor)
    demo.register("novikova")
    return demo.form_pair("volkov", "novikova")


def open_forms(session, program: Program) -> list[tuple[str, int | None]]:
    session.expire_all()
    rows = session.scalars(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id))
    return sorted(((row.form_id, row.assignee_id) for row in rows), key=lambda r: (r[0], r[1] or 0))


def curator_step(demo: Demo, program: Program, form: str, values: dict) -> None:
    task = demo.task("curator", form, program.workflow_instance_id)
    step_completion.complete(demo.session, demo.actor("curator"), program.workflow_instance_id, task.task_id, values,
                   expected_version=None)
    demo.session.commit()


def consent(demo: Demo, login: str, program: Program, *, agree: bool, comment: str = "") -> None:
    [request] = participant_views.consent_requests(demo.session, demo.actor(login))
    assert request.group.id == program.group_id
    participant_work.give_consent(demo.session, demo.actor(login), program.workflow_instance_id,
                                  request.task.task_id, consent=agree, personal_data=agree, comment=comment,
                                  clock=demo.clock)
    demo.session.commit()


def released(demo: Demo, program: Program) -> None:
    lifecycle.petition(demo.session, demo.actor("volkov"), program.id, "mentor_release", {"reason": "переезд"},
                       clock=demo.clock)
    demo.session.commit()
    demo.advance(1)
    curator_step(demo, program, "decide_petition", {"approved": True, "comment": "уважительная причина"})
    demo.advance(1)
    demo.complete("head", "sign_order", {"signed": True}, program.workflow_instance_id)


def orders(session, program: Program) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.workflow_instance_id == program.workflow_instance_id)
                                .order_by(Order.id)))


@BOTH
def test_after_the_release_order_the_program_has_no_mentor_and_the_curator_finds_a_new_one(demo, db_session):
    s = db_session
    program = pair(demo)
    volkov, morozova = demo.person_id("volkov"), demo.person_id("morozova")
    released(demo, program)
    s.refresh(program)
    # the program is without a mentor: nobody works its stage, the released mentor neither sees nor works it
    assert open_forms(s, program) == [("replace_mentor", None)]
    page = program_views.program_page(s, demo.actor("curator"), program.id, now=demo.clock.now())
    assert page.mentor is None and page.released_mentor.id == volkov
    assert page.mentor_released_on == demo.clock.now().date()
    assert [c.program.id for c in participant_views.my_programs(s, demo.actor("volkov"), clock=demo.clock)] == []
    assert instances.list_tasks(s, demo.actor("volkov")) == []
    assert not lifecycle.roles_in_program(demo.actor("volkov"), program)
    # the curator proposes Morozova; she refuses first, then another proposal of her is accepted
    with pytest.raises(NastavnikError, match="освобождённого от обязанностей"):
        curator_step(demo, program, "replace_mentor", {"complete_early": False, "new_mentor_id": volkov})
    s.rollback()
    curator_step(demo, program, "replace_mentor", {"complete_early": False, "new_mentor_id": morozova})
    assert open_forms(s, program) == [("give_consent", morozova)]
    consent(demo, "morozova", program, agree=False, comment="не смогу в этом году")
    assert open_forms(s, program) == [("replace_mentor", None)]  # back to the curator, no order drafted
    assert [o.type for o in orders(s, program)] == ["mentor_release"]
    curator_step(demo, program, "replace_mentor", {"complete_early": False, "new_mentor_id": morozova})
    consent(demo, "morozova", program, agree=True)
    demo.complete("head", "sign_order", {"signed": True}, program.workflow_instance_id)
    s.refresh(program)
    release, replacement = orders(s, program)
    assert (release.type, replacement.type, replacement.status) == ("mentor_release", "mentor_replacement", "signed")
    assert "В связи с освобождением прежнего наставника" in replacement.body
    assert "с письменного согласия наставника (п. 3.2 Положения)" in replacement.body
    assert demo.world.people["morozova"].full_name.split()[0] in replacement.body
    assert (program.group.mentor_id, program.group.mentor_released_on) == (morozova, None)
    assert program.group.missing_consents() == []  # the registry: every participant's written consent
    assert open_forms(s, program) == [("stage_work", morozova)]  # the stage again, with the new mentor
    assert program_views.program_page(s, demo.actor("curator"), program.id, now=demo.clock.now()).mentor.id == morozova


@BOTH
def test_the_release_order_states_the_reason_the_appointment_records(demo, db_session):
    """What the signed release order states is what the data keeps: the mentor's reason (003 §4.1) is both the
    appointment's release reason and the order's «причина»."""
    from engine.db.models import MentorAppointment

    program = pair(demo)
    released(demo, program)
    [release] = orders(db_session, program)
    appointment = db_session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == demo.person_id("volkov"))).one()
    assert appointment.release_reason == "переезд"
    assert "причина – переезд" in release.body
    assert "кандидатуру наставника для наставляемого:" in release.body  # one mentee: the singular


@BOTH
def test_after_the_release_order_the_curator_may_end_the_program_early(demo, db_session):
    s = db_session
    program = pair(demo)
    released(demo, program)
    curator_step(demo, program, "replace_mentor", {"complete_early": True, "comment": "замены нет"})
    assert open_forms(s, program) == [("sign_order", None)]
    demo.complete("head", "sign_order", {"signed": True}, program.workflow_instance_id)
    s.refresh(program)
    assert (program.status, program.completion_ground) == ("completed_early", "participants_initiative")
    assert [o.type for o in orders(s, program)] == ["mentor_release", "completion"]
    assert open_forms(s, program) == []


@BOTH
def test_a_replacement_mentor_gives_his_consent_before_the_order(demo, db_session):
    s = db_session
    program = pair(demo)
    morozova = demo.person_id("morozova")
    lifecycle.petition(s, demo.actor("novikova"), program.id, "mentor_replacement", {"reason": "несовместимость"},
                       clock=demo.clock)
    s.commit()
    curator_step(demo, program, "decide_petition", {"approved": True, "comment": "", "new_mentor_id": morozova})
    assert ("give_consent", morozova) in open_forms(s, program)  # no order before his consent
    assert orders(s, program) == []
    consent(demo, "morozova", program, agree=False, comment="большая нагрузка")
    assert ("acknowledge_reminder", None) in open_forms(s, program)  # the curator is told; nothing signed
    assert orders(s, program) == [] and program.group.mentor_id == demo.person_id("volkov")

    lifecycle.petition(s, demo.actor("novikova"), program.id, "mentor_replacement", {"reason": "несовместимость"},
                       clock=demo.clock)
    s.commit()
    curator_step(demo, program, "decide_petition", {"approved": True, "comment": "", "new_mentor_id": morozova})
    consent(demo, "morozova", program, agree=True)
    demo.complete("head", "sign_order", {"signed": True}, program.workflow_instance_id)
    s.refresh(program)
    assert program.group.mentor_id == morozova
    assert program.group.missing_consents() == []  # «нет у 1» no more
    [given] = s.scalars(select(Consent).where(Consent.person_id == morozova, Consent.kind == "participation"))
    assert "дополнительных обязанностей, связанных с наставнической деятельностью" in given.text
