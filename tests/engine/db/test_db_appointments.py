"""Who is an appointed mentor on a given day."""
from __future__ import annotations

from datetime import date

import pytest

from engine.db.models import currently_appointed, is_appointed
from tests import factories as f


@pytest.fixture
def appointments(db_session):
    tomsk = f.make_department(db_session, regulation="tomsk")
    yakutsk = f.make_department(db_session, regulation="yakutsk")
    people = {name: f.make_person(db_session, login=name) for name in
              ("two_years", "pending", "released", "cancelled", "network", "later")}
    # 003 §3.4: two years, 2024-03-01 .. 2026-02-28
    f.make_appointment(db_session, person=people["two_years"], organization=tomsk, starts_on=date(2024, 3, 1))
    f.make_appointment(db_session, person=people["pending"], organization=tomsk, starts_on=date(2024, 3, 1),
                       status="pending")
    f.make_appointment(db_session, person=people["released"], organization=tomsk, starts_on=date(2024, 3, 1),
                       status="released", released_on=date(2025, 1, 10), release_reason="по собственной просьбе")
    f.make_appointment(db_session, person=people["cancelled"], organization=tomsk, starts_on=date(2024, 3, 1),
                       status="cancelled")
    # 004 III.2: one academic year, bound to a direction
    f.make_appointment(db_session, person=people["network"], organization=yakutsk, starts_on=date(2024, 9, 1),
                       direction="математика")
    f.make_appointment(db_session, person=people["later"], organization=tomsk, starts_on=date(2025, 9, 1))
    db_session.commit()
    return tomsk, yakutsk, people


def _logins(rows):
    return sorted(a.person.login for a in rows)


def test_appointed_on_a_date(db_session, appointments):
    tomsk, yakutsk, people = appointments
    assert _logins(currently_appointed(db_session, date(2024, 2, 29))) == []
    assert _logins(currently_appointed(db_session, date(2024, 3, 1))) == ["released", "two_years"]
    assert _logins(currently_appointed(db_session, date(2025, 1, 9))) == ["network", "released", "two_years"]
    assert _logins(currently_appointed(db_session, date(2025, 1, 10))) == ["network", "two_years"]
    assert _logins(currently_appointed(db_session, date(2025, 8, 31))) == ["network", "two_years"]
    assert _logins(currently_appointed(db_session, date(2025, 9, 1))) == ["later", "two_years"]
    assert _logins(currently_appointed(db_session, date(2026, 2, 28))) == ["later", "two_years"]
    assert _logins(currently_appointed(db_session, date(2026, 3, 1))) == ["later"]


def test_filters(db_session, appointments):
    tomsk, yakutsk, people = appointments
    day = date(2025, 1, 1)
    assert _logins(currently_appointed(db_session, day, organization_id=yakutsk.id)) == ["network"]
    assert _logins(currently_appointed(db_session, day, direction="математика")) == ["network"]
    assert is_appointed(db_session, people["two_years"].id, day)
    assert is_appointed(db_session, people["two_years"].id, day, organization_id=tomsk.id)
    assert not is_appointed(db_session, people["two_years"].id, day, organization_id=yakutsk.id)
    assert not is_appointed(db_session, people["pending"].id, day)
    assert not is_appointed(db_session, people["cancelled"].id, day)
