"""The one entry point of a step's completion (``engine.services.tasks.completion``) as a mentee's replacement
petition goes: the curator's decision may name as the new mentor only a person of her organization appointed by
order — an id of another organization is refused without a word about that person, a forged decision or rule fact
is refused naming the field, and the decision then made is the registry's. And every id field of every shipped
form is one the entry point checks."""
from __future__ import annotations

import pytest
from marshmallow import fields

from engine.errors import NastavnikError
from engine.forms import SHIPPED, FormDataError
from engine.services.mentorship import petitions
from engine.services.process import instances
from engine.services.tasks import completion
from tests import factories as f
from tests.engine.services.mentorship.test_lifecycle_paths import pair

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def test_every_id_field_of_the_shipped_forms_is_checked():
    for form_id, contract in SHIPPED.items():
        for name, field in contract().fields.items():
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.Integer) and name.endswith(("_id", "_ids")):
                assert name in completion.PERSON_ID_FIELDS, (form_id, name)


@BOTH
def test_a_replacement_decided_through_the_entry_point_names_only_an_appointed_mentor_of_the_organization(
        demo, db_session):
    s = db_session
    program = pair(demo)
    demo.appoint("morozova")
    other = f.make_department(s, name="Другое управление", short_name="Другое")
    stranger = f.make_person(s, full_name="Посторонняя Анна Ивановна")
    f.make_role(s, stranger, other, "mentor")
    s.commit()
    petitions.file_petition(s, demo.actor("novikova"), program.id, "mentor_replacement",
                            reason="не совпадают графики", clock=demo.clock)
    s.commit()
    task = demo.task("curator", "decide_petition", program.workflow_instance_id)
    curator = demo.actor("curator")

    def decide(values: dict) -> None:
        completion.complete_step(s, curator, task.instance_id, task.task_id, values)

    with pytest.raises(FormDataError, match=f"человек №{stranger.id} не найден в вашей организации") as refused:
        decide({"approved": True, "new_mentor_id": stranger.id})
    assert refused.value.where == "new_mentor_id" and "Посторонняя" not in refused.value.message
    s.rollback()
    with pytest.raises(NastavnikError, match="назначенный приказом") as refused:
        decide({"approved": True, "new_mentor_id": demo.person_id("lebedev")})  # of the department, not appointed
    assert refused.value.where == "new_mentor_id"
    s.rollback()
    for forged in ({"decision": {"verdict": "eligible"}}, {"facts": {"years_as_head": 20}}):
        with pytest.raises(FormDataError) as refused:
            decide({"approved": True, "new_mentor_id": demo.person_id("morozova"), **forged})
        assert refused.value.where == next(iter(forged))
        s.rollback()
    decide({"approved": True, "new_mentor_id": demo.person_id("morozova"), "comment": "Морозова согласна"})
    s.commit()
    data = instances.snapshot(s, program.workflow_instance_id).data
    assert data["new_mentor_id"] == demo.person_id("morozova")
    assert "facts" not in data and "verdict" not in str(data.get("decision") or "")
