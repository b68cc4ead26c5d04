"""What the people deciding a program's course see and may decide (issue 10, «The lifecycle»): the stage
report's name as the roadmap gives it (003 appendix 2, stage 4 names no form), the extension agreement
with the months and the reason (003 §7.2), an incomplete stage accepted only with a recorded reason and the
completion ground that follows the roadmap (003 §7.1), the curator's own petitions, the head's refusal
reason back on the curator's step."""
from __future__ import annotations

import pytest

from engine.demo.story import Demo
from engine.regulations.roadmaps import NO_REPORT_FORM
from engine.services.mentorship import participant_views as views
from tests.engine.services.mentorship.test_lifecycle_paths import pair, stage_events

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def run_stage(demo: Demo, program, mentor: str) -> None:
    iid = program.workflow_instance_id
    demo.complete(mentor, "stage_work", {"events_done": stage_events(program), "report": "справка"}, iid)
    demo.complete("curator", "review_stage_report", {"approved": True, "comment": ""}, iid)
    demo.session.refresh(program)


# -- 003 appendix 2, stage 4: the seed names no report form ---------------------------------------------

@BOTH
def test_the_reservists_fourth_stage_report_is_not_called_an_information_note(demo, db_session):
    s = db_session
    program = pair(demo, "morozova", "fedorov")
    for _ in range(3):
        run_stage(demo, program, "morozova")
    assert program.current_stage_id == "reflection"
    page = views.stage_work(s, demo.actor("morozova"), program.id)
    assert page.stage is not None and page.stage.report_form is None
    assert page.stage.report_name == NO_REPORT_FORM and "справка" not in page.stage.report_name
    demo.complete("morozova", "stage_work", {"events_done": stage_events(program), "report": "итоги"},
                  program.workflow_instance_id)
    s.refresh(program)
    names = {r.stage_id: r.form_name for r in program.reports}
    assert names["diagnosis"] == "Информационная справка"  # stages 1-3: the seed's «Информационная справка»
    assert names["reflection"] == NO_REPORT_FORM
