"""The pack's ``individual_plans`` (ИППР, 000 §2.2): its sections load with their clauses, and a wrong section is
refused naming the file and the field."""
from __future__ import annotations

import pytest

from engine.regulations import PackError, load_pack
from tests.engine.regulations.test_packs import _copy, _edit


def test_a_wrong_section_of_the_individual_plan_is_named(tmp_path):
    folder = _copy(tmp_path, "vsosh")
    assert [s.id for s in load_pack(folder).individual_plans.sections][:2] == ["self_education",
                                                                               "professional_qualities"]

    def sections(change):
        _edit(folder, lambda data: change(data["individual_plans"]))

    sections(lambda plans: plans["sections"].append({"id": "self_education", "label": "Ещё раз", "clause": "001 §1"}))
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    fields = {(p.field, p.message.split(";")[0]) for p in caught.value.problems}
    assert ("individual_plans.sections[8].id", "«self_education» повторяется") in fields
    assert any(f == "individual_plans.sections[8].clause" for f, _ in fields)  # 001 §1 is not of 000
    sections(lambda plans: plans.update(sections=[], color="red"))
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert {p.field for p in caught.value.problems} >= {"individual_plans.sections", "individual_plans.color"}
