"""The network centre's world (tests/engine/services/network/centre_world.py) with passwords to log in through the
web and its first literacy mentor appointed: what the network pages' web tests start from."""
from __future__ import annotations

from tests.engine.services.network.centre_world import LITERACY, build_centre
from tests.web.conftest import password_hash


def centre_with_logins(db_session):  # noqa: ANN001, ANN201 - the centre world of the engine tests
    world = build_centre(db_session)
    for person in world.people.values():
        person.password_hash = password_hash()
    world.session.commit()
    world.appoint("sidorova", LITERACY)
    return world
