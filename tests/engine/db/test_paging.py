"""A list counted up to its bound and paged from both ends (engine.db.paging), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import Person
from engine.db.paging import count_up_to, paginate
from tests.factories import make_person
from tests.statements import counted_statements

NEWEST_FIRST = ((Person.id, True),)


@pytest.fixture
def people(db_session):
    made = [make_person(db_session, full_name=f"Человек {n:02}") for n in range(1, 24)]
    db_session.flush()
    return [p.id for p in made]


def test_a_count_is_exact_up_to_its_bound_and_beyond_it_only_more(db_session, people):
    everyone = select(Person).where(Person.id.in_(people))
    assert (count_up_to(db_session, everyone, 100).value, count_up_to(db_session, everyone, 100).more) == (23, False)
    assert (count_up_to(db_session, everyone, 23).value, count_up_to(db_session, everyone, 23).more) == (23, False)
    beyond = count_up_to(db_session, everyone, 10)
    assert (beyond.value, beyond.more, bool(beyond)) == (10, True, True)
    nobody = count_up_to(db_session, everyone.where(Person.id < 0), 10)
    assert (nobody.value, nobody.more, bool(nobody)) == (0, False, False)


def test_a_short_list_has_numbered_pages_and_its_last_page_is_read_from_the_end(db_session, people):
    everyone = select(Person).where(Person.id.in_(people))
    newest = sorted(people, reverse=True)
    first = paginate(db_session, everyone, 1, 5, order=NEWEST_FIRST)
    assert ([p.id for p in first.rows], first.total, first.page, first.pages, first.more) == (newest[:5], 23, 1, 5, False)
    last = paginate(db_session, everyone, 5, 5, order=NEWEST_FIRST)
    assert [p.id for p in last.rows] == newest[20:]  # 3 rows: the front's numbering
    assert [p.id for p in paginate(db_session, everyone, -1, 5, order=NEWEST_FIRST).rows] == newest[20:]
    assert paginate(db_session, everyone, -2, 5, order=NEWEST_FIRST).page == 4
    assert paginate(db_session, everyone, 99, 5, order=NEWEST_FIRST).page == 5  # clamped


def test_a_long_list_says_more_and_counts_its_back_pages_from_the_end(db_session, people):
    everyone = select(Person).where(Person.id.in_(people))
    newest = sorted(people, reverse=True)
    first = paginate(db_session, everyone, 1, 5, order=NEWEST_FIRST, bound=10)
    assert ([p.id for p in first.rows], first.total, first.pages, first.more) == (newest[:5], 10, 2, True)
    assert [p.id for p in paginate(db_session, everyone, 2, 5, order=NEWEST_FIRST, bound=10).rows] == newest[5:10]
    assert paginate(db_session, everyone, 7, 5, order=NEWEST_FIRST, bound=10).page == 2  # the front's known pages
    last = paginate(db_session, everyone, -1, 5, order=NEWEST_FIRST, bound=10)
    assert ([p.id for p in last.rows], last.page, last.more) == (newest[-5:], -1, True)  # the last 5, oldest last
    assert [p.id for p in paginate(db_session, everyone, -2, 5, order=NEWEST_FIRST, bound=10).rows] == newest[-10:-5]
    assert paginate(db_session, everyone, -9, 5, order=NEWEST_FIRST, bound=10).page == -2


def test_a_page_reads_a_bounded_number_of_rows_whatever_the_lists_length(db_session, people):
    everyone = select(Person).where(Person.id.in_(people))
    with counted_statements(db_session.get_bind()) as statements:
        paginate(db_session, everyone, -1, 5, order=NEWEST_FIRST, bound=10)
    assert len(statements) == 2  # the bounded count and the page
    assert "LIMIT" in statements.sql[0].upper()
