"""The collegial bodies of a pack (``council_bodies``; engine.regulations.council_bodies): the shipped packs list the
mentors' council (000 §4–5, the school pack's choice) and the pedagogical council (004 прил. 1 п. 3.1.1; yakutsk and
school), each with its protocol template; a pack without the section keeps the one mentors' council it had; a
broken section or template is refused naming the file and field."""
from __future__ import annotations

import pytest

from engine.errors import NotFound
from engine.regulations import PackError, load_pack, pack
from tests.engine.regulations.test_packs import _copy, _edit


def test_the_shipped_packs_list_their_bodies_with_templates():
    assert [(b.id, b.retention_months, bool(b.protocol_template)) for b in pack("school").council_bodies] == [
        ("mentors_council", 12, True), ("pedagogical_council", 60, True)]
    yakutsk = pack("yakutsk")
    body = yakutsk.council_body("pedagogical_council")
    assert (body.clause, body.heading) == ("004 прил. 1 п. 3.1.1", "заседания педагогического совета")
    assert [c.order for c in body.considers] == ["implementation_plan", "regulation"]
    with pytest.raises(NotFound, match="не предусматривает орган «Совет наставников».*«Педагогический совет»"):
        yakutsk.council_body("mentors_council")
    tomsk = pack("tomsk").council_bodies  # no section: the mentors' council, the product's wording, 12 months
    assert [(b.id, b.retention_months, b.protocol_template) for b in tomsk] == [("mentors_council", 12, None)]


def test_a_broken_council_section_or_template_is_refused_naming_file_and_field(tmp_path):
    folder = _copy(tmp_path, "yakutsk")

    def break_it(data):
        data["council_bodies"][0]["protocol_retention_months"] = 0
        data["council_bodies"][0]["considers"].append({"order": "completion", "title": "Итоги"})
        data["council_bodies"].append({"id": "board_of_trustees", "label": "Попечительский совет",
                                       "clause": "004 прил. 1 п. 3.1.1"})
        data["council"] = {"protocol_retention_months": 12}
    _edit(folder, break_it)
    (folder / "protocols" / "pedagogical_council.j2").write_text("Дата: {{ protocol.held_on | dmy }}\n{{ secretar }}\n",
                                                                  encoding="utf-8")
    (folder / "protocols" / "mentors_council.j2").write_text("{{ protocol.number }}\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    found = {(p.file, p.field) for p in caught.value.problems}
    assert found == {
        ("yakutsk/pack.yaml", "council_bodies[0].protocol_retention_months"),
        ("yakutsk/pack.yaml", "council_bodies[0].considers[2].order"),
        ("yakutsk/pack.yaml", "council_bodies[1].id"), ("yakutsk/pack.yaml", "council"),
        ("yakutsk/protocols/mentors_council.j2", ""),
    }
    messages = " ".join(p.message for p in caught.value.problems)
    assert "шаблон лишний" in messages and "board_of_trustees" in messages

    _edit(folder, lambda data: (data.pop("council"), data["council_bodies"].pop(),
                                data["council_bodies"][0].update(protocol_retention_months=60),
                                data["council_bodies"][0]["considers"].pop()))
    (folder / "protocols" / "mentors_council.j2").unlink()
    with pytest.raises(PackError) as caught:  # the template's misspelt name, found when the pack loads
        load_pack(folder)
    assert [(p.file, p.message) for p in caught.value.problems] == [
        ("yakutsk/protocols/pedagogical_council.j2",
         "неизвестное имя «secretar»; в шаблоне протокола есть: protocol, body")]
    (folder / "protocols" / "pedagogical_council.j2").write_text(
        "{% for item in protocol.agenda %}{{ item.number }}. {{ item.titel }}{% endfor %}\n", encoding="utf-8")
    with pytest.raises(PackError, match="нет поля «titel»"):
        load_pack(folder)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_methodologist_edits_a_protocol_template_as_a_file_of_the_pack(db_session):
    """protocols/<body>.j2 is a file of the pack the methodologist edits in the browser like orders/*.j2: a good
    edit is a new draft version, a broken one is refused naming the file (nothing stored)."""
    from engine.services.methodology import regulation_packs
    from engine.services.people.actor import load_actor
    from tests import factories as f

    yakutsk = f.make_department(db_session, regulation="yakutsk")
    methodologist = f.make_person(db_session)
    f.make_role(db_session, methodologist, yakutsk, "methodologist")
    db_session.commit()
    regulation_packs.ensure_shipped(db_session)
    me = load_actor(db_session, methodologist.login)
    path = "protocols/pedagogical_council.j2"
    text = regulation_packs.get_pack(db_session, me, "yakutsk").deployed.files[path]
    with pytest.raises(PackError) as refused:
        regulation_packs.save_file(db_session, me, "yakutsk", path, text + "{{ protocol.secretry }}\n")
    assert [p.file for p in refused.value.problems] == ["yakutsk/protocols/pedagogical_council.j2"]
    saved = regulation_packs.save_file(db_session, me, "yakutsk", path,
                                       text.replace("ПОВЕСТКА ДНЯ:", "ПОВЕСТКА ЗАСЕДАНИЯ:"))
    assert (saved.version, saved.status) == (2, "draft") and "ПОВЕСТКА ЗАСЕДАНИЯ:" in saved.files[path]
