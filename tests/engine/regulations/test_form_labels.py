"""The form of mentorship in documents is the organization's regulation's word for it (002 §4.1.5 «педагог –
педагог», 004 прил. 2 п. 1.3 «Опытный педагог – молодой специалист …»), not the system's vocabulary: one function,
``engine.regulations.form_label``, falling back to the vocabulary for a form the pack does not name."""
from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from engine.regulations import form_label
from engine.services.orders import drafting
from tests import factories as f
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def test_each_pack_words_its_forms_and_the_vocabulary_is_the_fallback():
    college, school = SimpleNamespace(regulation="college"), SimpleNamespace(regulation="school")
    tomsk, nowhere = SimpleNamespace(regulation="tomsk"), SimpleNamespace(regulation="no_such_pack")
    assert form_label(college, "teacher_teacher") == "«педагог – педагог»"  # 002 §4.1.5
    assert form_label(school, "teacher_teacher") == "«учитель – учитель»"  # 001 §2.3
    assert form_label(tomsk, "head_head") == "«руководитель – руководитель»"  # 003 §2.4
    assert form_label(SimpleNamespace(regulation="yakutsk"), "school_experienced_young") == (
        "Опытный педагог – молодой специалист (освоение основ мастерства)")  # 004 прил. 2 п. 1.3
    assert form_label(tomsk, "employer_student") == "«работодатель – студент»"  # not Tomsk's: the vocabulary
    assert form_label(nowhere, "teacher_teacher") == "«учитель – учитель»"  # pack not installed here
    assert form_label(tomsk, "unknown_form") == "unknown_form" and form_label(tomsk, None) is None


@BOTH
def test_a_yakutsk_school_pair_order_names_the_school_format(db_session):
    world = PackWorld(db_session, "yakutsk", datetime(2025, 9, 1, 1, 0, tzinfo=UTC), kind="school",
                      name="МОБУ СОШ № 5 г. Якутска", short_name="СОШ № 5")
    group = f.make_group(db_session, organization=world.organization, form="school_experienced_young",
                         roadmap_id="yakutsk_school")
    db_session.commit()
    order = drafting.draft_order(db_session, world.actor(world.curator), world.organization.id, "pair_formation",
                                 {"groups": [group.id]})
    assert ("форма наставничества – Опытный педагог – молодой специалист (освоение основ мастерства)"
            in order.body), order.body
    assert "school_experienced_young" not in order.body
