"""The Yakutsk centre's day is Yakutsk's (UTC+9): a group formed at 00:01 on 1 October there (15:01 UTC on
30 September) starts on 01.10.2025 and its process records the list handed to the mentor that day (004 III.4) —
the script's ``today()`` is the organization's day, as the services' is."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import NetworkGroup
from engine.services.network import groups
from engine.services.process import instances
from tests.engine.services.network.centre_world import LITERACY, build_centre, on

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@BOTH
def test_a_group_formed_after_midnight_in_yakutsk_is_handed_on_yakutsks_day(db_session):
    world = build_centre(db_session)
    world.appoint("sidorova", LITERACY)
    world.register("ivanova", "newly_hired", LITERACY)
    world.at(on(date(2025, 10, 1)))  # 00:01 in Yakutsk, still 30 September in UTC
    instance = groups.form_group(db_session, world.curator, world.department.id, world.person("sidorova").id,
                                 [world.person("ivanova").id], clock=world.clock)
    db_session.commit()
    group = db_session.scalars(select(NetworkGroup)).one()
    assert group.starts_on == date(2025, 10, 1)
    assert instances.snapshot(db_session, instance.id).data["list_handed_on"] == "2025-10-01"
