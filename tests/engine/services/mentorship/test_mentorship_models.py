"""The two models of 003 §2.4 follow the mentee's category (§3.6.1, §3.7.2): a reservist is mentored in
«резервист – руководитель», a head in «руководитель – руководитель». The curator is offered the forms that fit
the category, the pair takes the category's model when she names none, and a model of another category is
refused naming the forms that fit. The demo's reservist pair is signed in its own model."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import MentoringGroup, Order
from engine.demo.story import Demo
from engine.errors import NastavnikError
from engine.regulations import load_pack
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import pair_proposals

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def propose(demo: Demo, mentor: str, mentee: str, form: str | None = None):
    instance = mentorship.propose_pair(demo.session, demo.actor("curator"), demo.department_id,
                                       demo.person_id(mentor), [demo.person_id(mentee)], form=form, clock=demo.clock)
    demo.session.commit()
    return instance


@BOTH
def test_the_reservist_pair_is_signed_as_reservist_head(demo, db_session):
    s = db_session
    demo.appoint("morozova")
    demo.register("fedorov")
    program = demo.form_pair("morozova", "fedorov")
    assert program.group.form == "reservist_head"
    [order] = s.scalars(select(Order).where(Order.type == "pair_formation"))
    assert "форма наставничества – «резервист – руководитель»" in order.body
    assert "«руководитель – руководитель»" not in order.body


@BOTH
def test_a_model_of_another_category_is_refused_naming_the_one_that_fits(demo, db_session):
    s = db_session
    demo.appoint("morozova")
    demo.register("fedorov")  # a reservist (003 §3.6.1)
    demo.register("novikova")  # a newly appointed head
    with pytest.raises(NastavnikError) as refused:
        propose(demo, "morozova", "fedorov", "head_head")
    assert refused.value.where == "form"
    assert "«руководитель – руководитель»" in refused.value.message
    assert "«Педагог в резерве управленческих кадров»" in refused.value.message
    assert "для этой категории: «резервист – руководитель»" in refused.value.message
    s.rollback()
    with pytest.raises(NastavnikError, match="«Вновь назначенный руководитель»"):
        propose(demo, "morozova", "novikova", "reservist_head")
    s.rollback()
    propose(demo, "morozova", "novikova", "virtual")  # a form of §2.4 open to every category
    assert [g.form for g in s.scalars(select(MentoringGroup))] == ["virtual"]


@BOTH
def test_the_curator_is_offered_each_model_with_its_categories(demo, db_session):
    options = pair_proposals.proposal_options(db_session, demo.actor("curator"), demo.department_id,
                                              demo.clock.now().date())
    labels = dict(options.forms)
    assert labels["reservist_head"].endswith("для категорий: Педагог в резерве управленческих кадров")
    assert "Вновь назначенный руководитель" in labels["head_head"]
    assert "для категорий" not in labels["virtual"]


def test_the_pack_ties_each_model_to_its_categories():
    pack = load_pack("rules/tomsk")
    assert [f.id for f in pack.forms_for_category("reservist", "department")][:1] == ["reservist_head"]
    assert "head_head" not in [f.id for f in pack.forms_for_category("reservist", "department")]
    assert [f.id for f in pack.forms_for_category("new_head", "department")][:1] == ["head_head"]
