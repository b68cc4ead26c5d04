"""Petitions of the participants (003 §4.1, §5.1, §7.1 (2), §7.2): offered by role, validated, sent to the
program's process; one already being considered, or a moment the process does not take it, conflicts."""
from __future__ import annotations

import pytest

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.mentorship import petitions
from engine.services.process import instances
from tests.engine.services.mentorship.test_participant_work import BOTH, forms, pair


@BOTH
def test_petitions_offered_by_role_and_a_pending_one_is_a_conflict(demo, db_session):
    s = db_session
    program = pair(demo)
    mentor_options = {o.name: o.state for o in petitions.petition_options(s, demo.actor("volkov"), program)}
    assert mentor_options == {"early_completion": "available", "extension": "available",
                              "mentor_release": "available"}
    mentee_options = {o.name for o in petitions.petition_options(s, demo.actor("novikova"), program)}
    assert mentee_options == {"early_completion", "extension", "mentor_replacement"}
    with pytest.raises(PermissionDenied):
        petitions.file_petition(s, demo.actor("volkov"), program.id, "mentor_replacement", reason="x")
    with pytest.raises(PermissionDenied):
        petitions.file_petition(s, demo.actor("curator"), program.id, "extension", reason="x", months=3)
    with pytest.raises(NastavnikError, match="месяцев от 0 до 12"):
        petitions.file_petition(s, demo.actor("volkov"), program.id, "extension", reason="x", months=13)
    with pytest.raises(NastavnikError, match="ничего не меняет"):  # 003 §7.2: no months and nothing corrected
        petitions.file_petition(s, demo.actor("volkov"), program.id, "extension", reason="x", months=0)
    with pytest.raises(NastavnikError, match="обоснование"):
        petitions.file_petition(s, demo.actor("volkov"), program.id, "mentor_release", reason="  ")
    petitions.file_petition(s, demo.actor("volkov"), program.id, "mentor_release", reason="перевод в другой город",
                       clock=demo.clock)
    s.commit()
    assert forms(s, program) == ["decide_petition"]  # the mentor's work stops with the request (003 §4.1)
    with pytest.raises(ConflictError, match="уже подано"):
        petitions.file_petition(s, demo.actor("volkov"), program.id, "mentor_release", reason="ещё раз")
    demo.complete("curator", "decide_petition", {"approved": False, "comment": "замены пока нет"},
                  program.workflow_instance_id)
    assert "stage_work" in forms(s, program)  # refused: the stage goes on
    petitions.file_petition(s, demo.actor("novikova"), program.id, "early_completion", reason="по семейным обстоятельствам",
                       clock=demo.clock)
    s.commit()
    data = instances.snapshot(s, program.workflow_instance_id).data
    assert data["early_completion"]["ground"] == "participants_initiative"
    assert data["early_completion"]["initiator"] == "mentee"
    states = {o.name: o.state for o in petitions.petition_options(s, demo.actor("volkov"), program)}
    assert states["early_completion"] == "pending" and states["extension"] == "closed"
    with pytest.raises(ConflictError, match="не принимает"):
        petitions.file_petition(s, demo.actor("volkov"), program.id, "extension", reason="x", months=2)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_outsiders_and_unknown_programs(demo, db_session):
    s = db_session
    program = pair(demo)
    with pytest.raises(NotFound):
        petitions.file_petition(s, demo.actor("volkov"), 999999, "extension", reason="x", months=1)
    with pytest.raises(NotFound):
        petitions.file_petition(s, demo.actor("volkov"), program.id, "nonsense", reason="x")
    demo.appoint("morozova")
    with pytest.raises(PermissionDenied):
        petitions.file_petition(s, demo.actor("morozova"), program.id, "mentor_release", reason="x")
    assert petitions.petition_options(s, demo.actor("curator"), program) == []
