from engine.services.people.accounts import authenticate, set_password
from tests.factories import make_person


def test_argon2_password_round_trip(db_session):
    person = make_person(db_session, login="kurator")
    set_password(person, "верный-пароль")
    assert person.password_hash.startswith("$argon2id$")
    assert authenticate(db_session, "kurator", "верный-пароль") is person
    assert authenticate(db_session, "kurator", "неверный") is None
    assert authenticate(db_session, "nobody", "верный-пароль") is None


def test_inactive_or_passwordless_people_cannot_log_in(db_session):
    person = make_person(db_session, login="ushel")
    assert authenticate(db_session, "ushel", "") is None
    set_password(person, "x")
    person.is_active = False
    assert authenticate(db_session, "ushel", "x") is None
