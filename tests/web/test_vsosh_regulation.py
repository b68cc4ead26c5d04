"""The regulation page of a school bound to the pack «vsosh» (000): the System's competences (000 §3.1–3.5, §3.8, §3.10) each
with the page of the system that carries it out — the bank of practices (000 §3.1–3.3, §3.8), monitoring
(000 §3.4), the mentors' incentives (000 §3.5), the contest of professional mastery (000 §3.8), the council's
sessions for the System's powers (000 §3.10); and the System as the teachers' self-government body (000 §1.2)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import app_on_clock, login, password_hash

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def world(db_session_factory):
    session = db_session_factory()
    world = PackWorld(session, "vsosh", datetime(2025, 9, 16, 9, 0, tzinfo=UTC), name="МКОУ ВСОШ № 8 г. Томска")
    world.head.password_hash = world.curator.password_hash = password_hash()
    session.commit()
    yield world
    session.close()


@pytest.fixture
def app(db_url, db_engine, seed, world):
    with app_on_clock(db_url, world.clock) as application:
        yield application


def row_of(page: str, clause: str, words: str) -> str:
    """The table row of the duty citing ``clause`` whose text has ``words``."""
    rows = [row for row in page.split("<tr")[1:] if clause in row and words in row]
    assert len(rows) == 1, (clause, words, len(rows))
    return rows[0].split("</tr>")[0]


@BOTH
def test_the_competences_of_the_system_lead_to_their_pages(client, world):
    login(client, world.curator.login)
    page = client.get(f"/monitoring/regulation?org={world.organization.id}")
    assert page.status_code == 200, page.text
    text = page.text
    bank = row_of(text, "000 §3.2", "обобщение ценного опыта")
    assert 'href="/practices"' in bank and "Банк лучших практик и кейсов" in bank
    assert 'href="/practices"' in row_of(text, "000 §3.1", "современных методик")
    assert 'href="/practices"' in row_of(text, "000 §3.3", "широкое информирование")
    assert 'href="/monitoring"' in row_of(text, "000 §3.4", "мониторинговых программ")
    assert 'href="/registries/mentors"' in row_of(text, "000 §3.5", "стимулирование инициатив")
    contest = row_of(text, "000 §3.8", "конкурсов профессионального мастерства")
    assert 'href="/incentives/contests"' in contest and "Конкурс на лучшего наставника" in contest
    assert 'href="/council"' in row_of(text, "000 §3.10", "экспертизу рабочих программ")
    bodies = text.split("data-bodies>")[1].split("</dd>")[0]  # the System itself (000 §1.2, §1.3)
    assert "Управленческая система наставничества (000 §5.3): Система — орган самоуправления педагогов школы " \
        "(000 §1.2)" in bodies and "все педагогические работники школы (000 §1.3)" in bodies
