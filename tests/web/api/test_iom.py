"""``/api/v1/iom`` (002 §1.2, §4.2.2): the college's curator opens a teacher's route with a tutor (the services, as the
page does); through the API the teacher records the step the route waits for — out of order, empty or with another
step's field it is refused in Russian naming the step —, the tutor records the next, a year on the tutor closes the
yearly review the worker opened; the department's curator and another teacher are refused."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.db.models import IomRoute, Organization
from engine.services.iom import routes
from engine.services.iom.reviews import open_due_reviews
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM, actor_of
from tests import factories as f


def _college(api_world) -> tuple[int, dict[str, str]]:
    """A college (regulation 002: the tutor) with its curator, a teacher, his tutor and another teacher; the route
    opened; a token per person."""
    with api_world.session_factory() as s:
        college = f.make_organization(s, kind="college", regulation="college", short_name="БТЛХ",
                                      name="КГБПОУ «Бийский техникум лесного хозяйства»")
        people = {key: f.make_person(s, full_name=name, organization_id=college.id, position="преподаватель")
                  for key, name in (("curator", "Кураторова Ольга Ивановна"), ("teacher", "Кедров Павел Андреевич"),
                                    ("tutor", "Лесникова Анна Ивановна"), ("other", "Пихтова Мария Олеговна"))}
        f.make_role(s, people["curator"], s.get(Organization, college.id), "curator")
        for key in ("teacher", "tutor", "other"):
            f.make_role(s, people[key], s.get(Organization, college.id), "mentee")
        s.flush()
        route = routes.open_route(s, actor_of(s, people["curator"]), college.id, people["teacher"].id, years=5,
                                  tutor_id=people["tutor"].id)
        tokens = {key: api_tokens.issue(s, SYSTEM, person.id, "тест", timedelta(days=1)).token
                  for key, person in people.items()}
        s.commit()
        return route.id, tokens


def test_the_route_through_the_api_from_the_first_step_to_the_yearly_review(api_world):
    route_id, tokens = _college(api_world)

    def call(method: str, path: str, who: str, **kwargs):
        return api_world.client.open(path, method=method, headers={"Authorization": f"Bearer {tokens[who]}"},
                                     **kwargs)

    url = f"/api/v1/iom/{route_id}"
    mine = call("GET", "/api/v1/iom", "teacher")
    assert mine.status_code == 200 and [r["id"] for r in mine.json["mine"]] == [route_id]
    assert [r["id"] for r in call("GET", "/api/v1/iom", "tutor").json["tutored"]] == [route_id]
    assert [r["id"] for r in call("GET", "/api/v1/iom", "curator").json["organization"]] == [route_id]
    assert call("GET", "/api/v1/iom", "other").json == {"mine": [], "tutored": [], "organization": []}

    shown = call("GET", url, "teacher")
    assert shown.status_code == 200 and shown.json["step"] == 1 and shown.json["steps"] == []
    waiting = shown.json["waiting"]
    assert waiting["clause"] == "002 §4.2.2 (1)" and waiting["fields"][0]["id"] == "image"
    assert shown.json["may_write"] is True and shown.json["may_review"] is False
    assert call("GET", url, "other").status_code == 403
    assert api_world.get(url, "curator").status_code == 403  # the department's curator: another organization
    assert call("GET", "/api/v1/iom/999999", "teacher").status_code == 404

    early = call("POST", f"{url}/steps/2", "teacher", json={"body": {"subject": "Таксация леса"}})
    assert early.status_code == 422 and "не по порядку: сначала шаг 1" in early.json["message"]
    empty = call("POST", f"{url}/steps/1", "teacher", json={"body": {"image": "  "}})
    assert empty.status_code == 422 and "Шаг 1. Самоопределение" in empty.json["message"]
    assert "image" in empty.json["errors"]
    assert call("POST", f"{url}/steps/1", "teacher", json={"body": "текст"}).status_code == 422
    # the body is not read for someone who may not write: 403 first
    assert call("POST", f"{url}/steps/1", "other", json={"body": 1}).status_code == 403
    assert call("POST", f"{url}/steps/1", "curator", json={"body": {"image": "x"}}).status_code == 403

    image = "Преподаватель, который ведёт проектную работу студентов и делится опытом"
    first = call("POST", f"{url}/steps/1", "teacher", json={"body": {"image": image}})
    assert first.status_code == 200, first.json
    [step] = first.json["steps"]
    assert step["number"] == 1 and step["body"] == {"image": image} and step["done_by"] == "Кедров Павел Андреевич"
    assert step["sections"][0]["text"] == image and first.json["waiting"]["by_area"] is True
    assert call("POST", f"{url}/steps/1", "tutor", json={"body": {"image": image}}).status_code == 409
    second = call("POST", f"{url}/steps/2", "tutor", json={"body": {"ict": "Уверенно работает с ГИС"}})
    assert second.status_code == 200 and second.json["step"] == 3
    assert second.json["steps"][1]["sections"] == [{"label": "ИКТ-компетенции, цифровизация образования",
                                                    "text": "Уверенно работает с ГИС"}]

    review = f"{url}/reviews/1"
    assert call("POST", review, "tutor", json={"conclusion": "Идёт по плану"}).status_code == 404  # not opened yet
    with api_world.session_factory() as s:  # a year on: the worker opens the review of year 1
        route = s.get(IomRoute, route_id)
        route.starts_on -= timedelta(days=366)
        s.flush()
        assert [r.year for r in open_due_reviews(s, datetime.now(UTC))] == [1]
        s.commit()
    assert call("GET", url, "tutor").json["open_reviews"] == [1]
    assert call("POST", review, "teacher", json={"conclusion": "x"}).status_code == 403
    blank = call("POST", review, "tutor", json={"conclusion": " "})
    assert blank.status_code == 422 and "напишите вывод" in blank.json["message"]
    closed = call("POST", review, "tutor", json={"conclusion": "Шаги идут по плану",
                                                 "corrections": "Добавить курс по наставничеству"})
    assert closed.status_code == 200 and closed.json["open_reviews"] == []
    [done] = closed.json["reviews"]
    assert done["conclusion"] == "Шаги идут по плану" and done["done_on"] is not None
    assert call("POST", review, "curator", json={"conclusion": "ещё раз"}).status_code == 409
