"""``/api/v1/ippr`` (000 §2.2): in МКОУ ВСОШ № 8 (the vsosh pack) the curator opens a teacher's individual plan of
professional development with a mentor of the management team through the API; the teacher and the mentor add,
change and remove items of its sections — a wrong section, an empty field or a term outside the academic year refused
with 422 in Russian naming the section —; the mentor agrees, the head returns it once with a reason and then
approves (000 §4.3); both mark the items with their results; the mentor closes the year and the plan downloads as
PDF. Another teacher, the department's curator and a teacher who would agree are refused before the body is read."""
from __future__ import annotations

from datetime import timedelta

from engine.db.models import Organization
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f


def _school(api_world) -> tuple[int, dict[str, int], dict[str, str]]:
    """A school of regulation 000 with its curator, head, a teacher, his mentor (the role of mentor: a member of the
    management team) and another teacher; a token per person."""
    with api_world.session_factory() as s:
        school = f.make_organization(s, regulation="vsosh", name="МКОУ ВСОШ № 8 г. Томска", short_name="ВСОШ № 8")
        roles = {"curator": "curator", "head": "head", "teacher": "mentee", "mentor": "mentor", "other": "mentee"}
        people = {key: f.make_person(s, full_name=name, organization_id=school.id, position=position)
                  for key, name, position in (("curator", "Берёзова Ольга Ивановна", "заместитель директора"),
                                              ("head", "Дубов Сергей Петрович", "директор"),
                                              ("teacher", "Липин Павел Андреевич", "учитель физики"),
                                              ("mentor", "Кедрова Анна Ивановна", "учитель истории"),
                                              ("other", "Соснина Вера Олеговна", "учитель химии"))}
        for key, person in people.items():
            f.make_role(s, person, s.get(Organization, school.id), roles[key])
        s.flush()
        tokens = {key: api_tokens.issue(s, SYSTEM, person.id, "тест", timedelta(days=1)).token
                  for key, person in people.items()}
        s.commit()
        return school.id, {key: person.id for key, person in people.items()}, tokens


def test_the_plan_through_the_api_from_opening_to_the_year_s_results(api_world):  # noqa: PLR0915 - one story
    school, ids, tokens = _school(api_world)
    tokens = {**tokens, "department": api_world.tokens["curator"]}

    def call(method: str, path: str, who: str, **kwargs):
        return api_world.client.open(path, method=method, headers={"Authorization": f"Bearer {tokens[who]}"},
                                     **kwargs)

    opening = {"organization_id": school, "teacher_id": ids["teacher"], "mentor_id": ids["mentor"]}
    assert call("POST", "/api/v1/ippr", "teacher", json=opening).status_code == 403  # no role to open: 403 first
    assert call("POST", "/api/v1/ippr", "department", json=opening).status_code == 403  # another organization
    himself = call("POST", "/api/v1/ippr", "curator", json={**opening, "mentor_id": ids["teacher"]})
    assert himself.status_code == 422 and "не самого педагога" in himself.json["message"]
    assert "mentor_id" in himself.json["errors"]
    opened = call("POST", "/api/v1/ippr", "curator", json=opening)
    assert opened.status_code == 201, opened.json
    plan = opened.json
    assert plan["state"] == "draft" and plan["state_label"] == "черновик" and plan["clause"] == "000 §2.2"
    assert [s["label"] for s in plan["sections"]][0] == "Самообразование" and len(plan["sections"]) == 8
    assert plan["mentor"] == "Кедрова Анна Ивановна" and plan["may_write"] is False  # the curator writes nothing
    assert call("POST", "/api/v1/ippr", "curator", json=opening).status_code == 409  # one plan a year

    url, start = f"/api/v1/ippr/{plan['id']}", plan["starts_on"]
    year = int(start[:4])
    assert [p["id"] for p in call("GET", "/api/v1/ippr", "teacher").json["mine"]] == [plan["id"]]
    assert [p["id"] for p in call("GET", "/api/v1/ippr", "mentor").json["guided"]] == [plan["id"]]
    listed = call("GET", "/api/v1/ippr", "head").json
    assert [p["id"] for p in listed["organization"]] == [plan["id"]] and listed["openable"] == [school]
    assert call("GET", "/api/v1/ippr", "other").json == {"mine": [], "guided": [], "organization": [],
                                                        "openable": []}
    assert call("GET", url, "other").status_code == 403
    assert call("GET", url, "department").status_code == 403
    assert call("GET", "/api/v1/ippr/999999", "teacher").status_code == 404

    def item(section: str, what: str, due_on: str, expected: str) -> dict:
        return {"section": section, "what": what, "due_on": due_on, "expected_result": expected}

    course = item("self_education", "Изучить технологию смыслового чтения", f"{year}-12-20", "Конспект и открытый урок")
    assert call("POST", f"{url}/items", "other", json={"section": 1}).status_code == 403  # 403 before the body
    assert call("POST", f"{url}/items", "curator", json=course).status_code == 403
    hobby = call("POST", f"{url}/items", "teacher", json={**course, "section": "hobby"})
    assert hobby.status_code == 422 and "в ИППР нет раздела «hobby»" in hobby.json["message"]
    late = call("POST", f"{url}/items", "teacher", json={**course, "due_on": f"{year + 1}-09-01"})
    assert late.status_code == 422 and late.json["errors"]["due_on"] == [
        f"Раздел «Самообразование»: срок 01.09.{year + 1} — вне учебного года плана (01.09.{year}–31.08.{year + 1})"]
    blank = call("POST", f"{url}/items", "teacher", json={**course, "expected_result": " "})
    assert blank.status_code == 422
    assert "Раздел «Самообразование»: ожидаемый результат: заполните поле" in blank.json["message"]
    missing = call("POST", f"{url}/items", "teacher", json={"section": "self_education"})
    assert missing.status_code == 422 and missing.json["errors"]["json"]["what"] == ["обязательное поле"]
    empty = call("POST", f"{url}/agree", "mentor")
    assert empty.status_code == 422 and "пуст" in empty.json["message"]

    added = call("POST", f"{url}/items", "teacher", json=course)
    assert added.status_code == 201, added.json
    contest = item("contests", "Участие в конкурсе «Педагог года»", f"{year + 1}-03-15", "Муниципальный этап")
    assert call("POST", f"{url}/items", "mentor", json=contest).status_code == 201
    spare = call("POST", f"{url}/items", "teacher",
                 json=item("experience", "Статья", f"{year + 1}-05-01", "Публикация")).json
    [article] = [i for s in spare["sections"] if s["id"] == "experience" for i in s["items"]]
    changed = call("PUT", f"{url}/items/{article['id']}", "teacher",
                   json=item("experience", "Статья о смысловом чтении", f"{year + 1}-05-20", "Публикация в сборнике"))
    assert changed.status_code == 200
    [article] = [i for s in changed.json["sections"] if s["id"] == "experience" for i in s["items"]]
    assert article["what"] == "Статья о смысловом чтении" and article["due_on"] == f"{year + 1}-05-20"
    assert call("PUT", f"{url}/items/999999", "teacher", json=course).status_code == 404
    assert call("DELETE", f"{url}/items/{article['id']}", "other").status_code == 403
    removed = call("DELETE", f"{url}/items/{article['id']}", "mentor")
    assert removed.status_code == 200
    assert [s["id"] for s in removed.json["sections"] if s["items"]] == ["self_education", "contests"]

    assert call("POST", f"{url}/agree", "teacher").status_code == 403  # the mentor agrees
    assert call("POST", f"{url}/approve", "mentor").status_code == 403  # the head approves
    early = call("POST", f"{url}/approve", "head")
    assert early.status_code == 409 and "ещё не согласован наставником" in early.json["message"]
    agreed = call("POST", f"{url}/agree", "mentor")
    assert agreed.status_code == 200 and agreed.json["state"] == "agreed"
    assert agreed.json["agreed_by"] == "Кедрова Анна Ивановна" and agreed.json["may_return"] is True
    locked = call("POST", f"{url}/items", "teacher", json=course)
    assert locked.status_code == 409 and "вносить пункты можно, только когда план — черновик" in locked.json["message"]
    assert call("POST", f"{url}/return", "teacher", json={"note": "x"}).status_code == 403
    no_reason = call("POST", f"{url}/return", "head", json={"note": "  "})
    assert no_reason.status_code == 422 and "Причина возврата на доработку" in no_reason.json["message"]
    returned = call("POST", f"{url}/return", "head", json={"note": "Добавьте курсы повышения квалификации"})
    assert returned.status_code == 200 and returned.json["state"] == "draft"
    assert returned.json["returned_note"] == "Добавьте курсы повышения квалификации"
    courses = item("qualification", "Курсы «Функциональная грамотность»", f"{year + 1}-02-10", "Удостоверение")
    assert call("POST", f"{url}/items", "teacher", json=courses).status_code == 201
    assert call("POST", f"{url}/agree", "mentor").status_code == 200
    approved = call("POST", f"{url}/approve", "head")
    assert approved.status_code == 200 and approved.json["state"] == "approved"
    assert approved.json["approved_by"] == "Дубов Сергей Петрович" and approved.json["returned_note"] is None

    items = [i for s in approved.json["sections"] for i in s["items"]]
    assert len(items) == 3
    first, second, third = (i["id"] for i in items)
    assert call("POST", f"{url}/items/{first}/mark", "head", json={"outcome": "done", "result": "x"}).status_code \
        == 403
    wrong = call("POST", f"{url}/items/{first}/mark", "teacher", json={"outcome": "maybe", "result": "x"})
    assert wrong.status_code == 422 and "outcome" in wrong.json["errors"]["json"]
    unsaid = call("POST", f"{url}/items/{first}/mark", "teacher", json={"outcome": "done", "result": " "})
    assert unsaid.status_code == 422
    assert "Пункт «Изучить технологию смыслового чтения» раздела «Самообразование»: результат" in \
        unsaid.json["message"]
    marked = call("POST", f"{url}/items/{first}/mark", "teacher",
                  json={"outcome": "done", "result": "Открытый урок 18.12 в 9 классе"})
    assert marked.status_code == 200
    assert marked.json["sections"][0]["items"][0]["outcome_label"] == "выполнено"
    assert call("POST", f"{url}/items/{second}/mark", "mentor",
                json={"outcome": "done", "result": "Удостоверение № 123"}).status_code == 200
    open_left = call("POST", f"{url}/close", "mentor", json={"conclusion": "План выполнен"})
    assert open_left.status_code == 409 and "Участие в конкурсе «Педагог года»" in open_left.json["message"]
    assert "раздела «Конкурсная деятельность»" in open_left.json["message"]
    assert call("POST", f"{url}/items/{third}/mark", "mentor",
                json={"outcome": "not_done", "result": "Конкурс перенесён"}).status_code == 200
    assert call("POST", f"{url}/close", "teacher", json={"conclusion": "x"}).status_code == 403
    closed = call("POST", f"{url}/close", "mentor", json={"conclusion": "Два пункта из трёх выполнены"})
    assert closed.status_code == 200 and closed.json["state"] == "closed"
    assert closed.json["conclusion"] == "Два пункта из трёх выполнены" and closed.json["closed_on"]

    links = closed.json["documents"]
    assert links == {"pdf": f"{url}/document.pdf", "docx": f"{url}/document.docx"}
    pdf = call("GET", links["pdf"], "head")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert call("GET", links["docx"], "teacher").data.startswith(b"PK")
    assert call("GET", links["pdf"], "other").status_code == 403
