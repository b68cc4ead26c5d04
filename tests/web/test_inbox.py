"""The curator's inbox on a small demo world: each row names the program and its people, the school,
the stage and the due date; filters by school, model, stage, overdue and text; pages keep the filters."""
from __future__ import annotations

import pytest

from tests.web.curator_world import curator_app, curator_client, day, first_stage_due, log_in, world  # noqa: F401

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def rows(html: str) -> int:
    return html.count("Рассмотреть отчёт по этапу</a>")


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_rows_name_the_program_people_school_stage_and_due_date(curator_client, world):
    html = curator_client.get("/inbox").text
    assert rows(html) == 2 and "Всего: 2" in html
    assert f"/tasks/{world.instance_id}/{world.review_task_id}" in html
    assert f"Программа №{world.program_id}" in html
    for text in ("Волков Игорь Николаевич", "Орлова Ирина Сергеевна", "МАОУ гимназия № 6", "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ",
                 day(first_stage_due(world)), "003 прил. 1"):
        assert text in html
    assert html.count("просрочен</span>") == 2  # the first stage was due two months ago
    assert f"№ {world.instance_id}<" not in html  # the row shows what the step is about, not the raw instance id


@SQLITE
def test_filters_and_search(curator_client, world):
    def get(query: str) -> str:
        response = curator_client.get("/inbox?" + query)
        assert response.status_code == 200
        return response.text

    assert rows(get(f"school={world.schools['gymnasium6']}")) == 1  # Orlova's workplace
    assert rows(get(f"school={world.schools['school8']}")) == 1  # Fedorov's (Volkov, a mentor, works there too)
    empty = get(f"school={world.schools['school15']}")
    assert rows(empty) == 0 and "Под условия фильтра ничего не подходит." in empty
    assert rows(get("model=tomsk_reservist")) == 1
    assert rows(get("model=tomsk_low_results_school")) == 0
    assert rows(get("stage=diagnosis")) == 2 and rows(get("stage=reflection")) == 0
    assert rows(get("overdue=1")) == 2
    assert rows(get("q=орлова")) == 1 and rows(get("q=Наталья")) == 1 and rows(get("q=нет+такого")) == 0
    filtered = get("q=орлова&school=abc&stage=")  # a malformed school is no filter, never an error
    assert rows(filtered) == 1 and 'value="орлова"' in filtered and "(из 2)" in filtered


@SQLITE
def test_pages_keep_the_filters(curator_app, world):
    curator_app.config["INBOX_PAGE_SIZE"] = 1
    client = curator_app.test_client()
    log_in(client, "curator")
    first = client.get("/inbox?stage=diagnosis").text
    assert rows(first) == 1 and "Страница 1 из 2" in first
    assert 'href="/inbox?page=2&amp;stage=diagnosis"' in first
    second = client.get("/inbox?page=2&stage=diagnosis").text
    assert rows(second) == 1 and "Страница 2 из 2" in second
    assert client.get("/inbox?page=99").status_code == 200


@SQLITE
@pytest.mark.parametrize("login", ["volkov", "orlova", "head", "methodologist"])
def test_only_curators_have_an_inbox(curator_app, world, login):
    client = curator_app.test_client()
    log_in(client, login)
    assert client.get("/inbox").status_code == 403


@SQLITE
def test_consents_the_pairs_wait_for_are_shown_above_the_steps(curator_client, world, db_session_factory):
    from engine.services.mentorship import formation as mentorship
    from engine.services.mentorship import mentee_registry
    from engine.services.people.actor import load_actor

    html = curator_client.get("/inbox").text
    assert "Ждут письменного согласия участников" not in html  # both demo pairs have consented
    with db_session_factory() as session:
        curator = load_actor(session, "curator")
        mentee = mentee_registry.register_mentee(session, curator, world.department_id, world.ids["novikova"])
        instance = mentorship.propose_pair(session, curator, world.department_id, world.ids["morozova"],
                                           [mentee.person_id])
        session.commit()
    html = curator_client.get("/inbox").text
    assert "Ждут письменного согласия участников (003 §3.2)" in html
    assert "Морозова Наталья Ивановна" in html and "ждёт дней: 0" in html
    assert f'href="/pairs/{instance.id}"' in html


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_practice_awaiting_review_is_in_the_inbox_until_the_curator_reviews_it(curator_client, world,
                                                                                   db_session_factory):
    from engine.services.people.actor import load_actor
    from engine.services.recognition import practices

    assert "Практики и кейсы на рассмотрении" not in curator_client.get("/inbox").text
    with db_session_factory() as session:
        practice = practices.submit(session, load_actor(session, "volkov"), world.department_id,
                                    practices.PracticeInput(title="Кейс: первый год в профессии", kind="case",
                                                            description="Что помогло молодому учителю"))
        session.commit()
        practice_id = practice.id
    html = curator_client.get("/inbox").text
    assert "Практики и кейсы на рассмотрении" in html and "1 ждёт решения" in html
    assert "Кейс: первый год в профессии" in html and "Волков Игорь Николаевич" in html
    assert f'href="/practices/{practice_id}"' in html
    with db_session_factory() as session:
        practices.review(session, load_actor(session, "curator"), practice_id, approve=True)
        session.commit()
    html = curator_client.get("/inbox").text
    assert "Практики и кейсы на рассмотрении" not in html and f'href="/practices/{practice_id}"' not in html
