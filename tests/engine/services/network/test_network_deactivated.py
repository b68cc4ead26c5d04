"""A network mentor or a trainee whose access the administrator closed (issue 12) is not offered on the Coordination
Centre's desk for a new group, and a group naming them is refused, naming the field; nothing starts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import NetworkGroup
from engine.errors import NastavnikError
from engine.services.network import centre_pages, groups
from engine.services.people.accounts import deactivate
from tests.engine.services.network.centre_world import LITERACY, build_centre, on


@pytest.fixture
def world(db_session):
    world = build_centre(db_session)
    world.appoint("sidorova", LITERACY)
    world.appoint("nikolaev", LITERACY)
    world.register("ivanova", "newly_hired", LITERACY)
    world.register("kim", "new_in_post", LITERACY, diagnosis="monitoring")
    world.at(on(date(2025, 10, 1)))
    return world


def test_deactivated_people_are_not_offered_for_a_new_group(world):
    session = world.session
    for login in ("nikolaev", "kim"):
        deactivate(session, world.person(login))
    session.commit()
    page = centre_pages.centre_page(session, world.curator, world.department.id, clock=world.clock)
    block = next(b for b in page.directions if b.direction == LITERACY)
    assert [a.person.login for a in block.mentors] == ["sidorova"]
    assert [w.mentee.person.login for w in block.waiting] == ["ivanova"]
    for mentor, trainee, field in (("nikolaev", "ivanova", "mentor_id"), ("sidorova", "kim", "trainee_ids")):
        with pytest.raises(NastavnikError, match="доступ закрыт администратором") as refused:
            groups.form_group(session, world.curator, world.department.id, world.person(mentor).id,
                              [world.person(trainee).id], clock=world.clock)
        assert refused.value.where == field
    assert session.scalars(select(NetworkGroup)).all() == []
