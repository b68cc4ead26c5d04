"""A mentor's recognition through the pages, on a copy of the demo (issue 18 items 4, 5): the curator records a
letter of gratitude with its document for volkov, who sees it under «Мои поощрения»; a contest from its announcement
to the order the head signs on «Приказы на подпись», after which the winner's page shows the contest's incentive;
volkov submits a case to the bank of practices, the curator approves it and the head finds it. Bad input is a
Russian 422 naming the field, never a 500. Every story runs on SQLite and on PostgreSQL (the demo copied into the
test's database by ``demo_worlds``)."""
from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from engine.db.models import Incentive, MentorContest, Organization, Person, Practice
from engine.demo.world import DEPARTMENT
from engine.services.people.actor import actor_of
from tests.web.conftest import csrf_token
from tests.web.test_program_bonus import text
from tests.web.test_programs import _session, client_as
from tests.web.test_visible_russian import demo_app  # noqa: F401 - fixture: the demo story on both backends


def ids(app) -> tuple[int, dict[str, int]]:
    with _session(app) as s:
        department = s.scalar(select(Organization.id).where(Organization.name == DEPARTMENT))
        people = {p.login: p.id for p in s.scalars(select(Person))}
    return department, people


def test_the_curator_records_an_incentive_and_the_mentor_sees_it(demo_app):
    department, people = ids(demo_app)
    curator = client_as(demo_app, "curator")
    url = f"/incentives/mentors/{people['volkov']}"
    page = curator.get(url)
    assert page.status_code == 200 and "Записать поощрение" in page.text and "«Почетный наставник»" in page.text
    token = csrf_token(page.text)
    form = {"csrf_token": token, "organization_id": str(department), "kind": "diploma",
            "basis": "итоги 2026 года", "awarded_on": date.today().isoformat()}
    bad = curator.post(url, data={**form, "awarded_on": "вчера"})
    assert bad.status_code == 422 and "Дата: ожидается дата в виде ГГГГ-ММ-ДД" in text(bad.text)
    assert curator.post(url, data={**form, "percent": "10"}).status_code == 422
    done = curator.post(url, data={**form, "document": (io.BytesIO(b"letter"), "письмо.txt")},
                        content_type="multipart/form-data")
    assert done.status_code == 302
    own = text(client_as(demo_app, "volkov").get("/incentives/my").text)
    assert "Награждение дипломом, благодарственным письмом" in own and "итоги 2026 года" in own
    assert "письмо.txt" in own and "Записать поощрение" not in own and "Смирнова Елена Александровна" in own
    assert "Записал(а)" in own
    with _session(demo_app) as s:
        incentive = s.scalar(select(Incentive))
    assert client_as(demo_app, "volkov").get(f"/incentives/{incentive.id}/document").data == b"letter"
    assert client_as(demo_app, "morozova").get(url).status_code == 403


def test_a_contest_from_announcement_to_the_signed_order(demo_app):
    department, people = ids(demo_app)
    curator, head = client_as(demo_app, "curator"), client_as(demo_app, "head")
    token = csrf_token(curator.get("/incentives/contests").text)
    announced = curator.post("/incentives/contests", data={
        "csrf_token": token, "organization_id": str(department), "title": "Лучший наставник года",
        "winners_count": "1", "juror_ids": [str(people["head"]), str(people["methodologist"])]})
    assert announced.status_code == 302
    contest_url = announced.headers["Location"]
    contest_id = int(contest_url.rsplit("/", 1)[1])
    for mentor, basis in (("volkov", "две пары"), ("morozova", "открытые занятия")):
        assert curator.post(f"{contest_url}/nominate", data={"csrf_token": token, "mentor_id": str(people[mentor]),
                                                             "basis": basis}).status_code == 302
    assert curator.post(f"{contest_url}/nominate", data={"csrf_token": token, "basis": "x"}).status_code == 422
    assert curator.post(f"{contest_url}/open", data={"csrf_token": token}).status_code == 302
    with _session(demo_app) as s:
        nominations = {n.mentor_id: n.id for n in s.get(MentorContest, contest_id).nominations}
    for juror, client in (("head", head), ("methodologist", client_as(demo_app, "methodologist"))):
        juror_token = csrf_token(client.get(contest_url).text)
        for mentor, score in (("volkov", 9), ("morozova", 6)):
            response = client.post(f"{contest_url}/vote", data={"csrf_token": juror_token, "score": str(score),
                                                                "nomination_id": str(nominations[people[mentor]])})
            assert response.status_code == 302, juror
    assert head.post(f"{contest_url}/vote", data={"csrf_token": csrf_token(head.get(contest_url).text), "score": "11",
                                                  "nomination_id": str(nominations[people["volkov"]])}).status_code == 422
    assert curator.post(f"{contest_url}/result", data={"csrf_token": token}).status_code == 302
    with _session(demo_app) as s:
        order_id = s.get(MentorContest, contest_id).order_id
    page = text(head.get(f"/orders/{order_id}").text)
    assert "Об итогах конкурса «Лучший наставник года»" in page and "Волков Игорь Николаевич" in page
    signed = head.post(f"/orders/{order_id}/sign", data={"csrf_token": csrf_token(head.get(f"/orders/{order_id}").text),
                                                         "version": "0"})
    assert signed.status_code in (302, 303), signed.text[:500]
    with _session(demo_app) as s:
        assert s.get(MentorContest, contest_id).status == "closed"
        given = s.scalars(select(Incentive).where(Incentive.contest_id == contest_id)).all()
        assert [i.mentor_id for i in given] == [people["volkov"]]
    assert "по приказу об итогах конкурса" in text(client_as(demo_app, "volkov").get("/incentives/my").text)
    assert "Победа в конкурсе на лучшего наставника муниципалитета" in text(
        client_as(demo_app, "volkov").get("/incentives/my").text)


def test_a_case_goes_into_the_bank_and_is_found(demo_app):
    department, _people = ids(demo_app)
    volkov, curator = client_as(demo_app, "volkov"), client_as(demo_app, "curator")
    page = volkov.get("/practices/new")
    assert page.status_code == 200
    token = csrf_token(page.text)
    with _session(demo_app) as s:
        org = s.scalar(select(Person).where(Person.login == "volkov"))
        mentor_org = sorted(actor_of(s, org).organizations("mentor"))[0]
    empty = volkov.post("/practices/new", data={"csrf_token": token, "organization_id": str(mentor_org),
                                                 "title": " ", "description": "т"})
    assert empty.status_code == 422 and "Название" in text(empty.text), text(empty.text)[-600:]
    done = volkov.post("/practices/new", data={"csrf_token": token, "organization_id": str(mentor_org),
                                                "kind": "case", "title": "Кейс: первый год директора",
                                                "description": "Как мы разобрали кризис первого года."})
    assert done.status_code == 302
    with _session(demo_app) as s:
        practice = s.scalar(select(Practice))
    assert "Кейс: первый год директора" not in client_as(demo_app, "head").get("/practices?q=кризис").text
    assert mentor_org == department  # the demo's mentors are appointed by the department, its curator reviews
    curator_token = csrf_token(curator.get(f"/practices/{practice.id}").text)
    assert curator.post(f"/practices/{practice.id}/review", data={"csrf_token": curator_token,
                                                                  "decision": "approve"}).status_code == 302
    found = client_as(demo_app, "head").get("/practices?q=КРИЗИС").text
    assert "Кейс: первый год директора" in found
