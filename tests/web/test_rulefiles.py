"""The methodologist's rule files in the browser's terms: list, editor checks, save, deploy, try, diff."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, Person, RuleFileVersion
from engine.regulations import rule_file_paths, shipped_rule_file
from engine.rules import decide, default_registry
from tests.web.conftest import csrf_token, login, make_test_app
from web.db import database

NAME = "mentor_eligibility_tomsk"
SHIPPED = shipped_rule_file(NAME).read_text(encoding="utf-8")
EDITED = SHIPPED.replace('version: "1"', 'version: "2"').replace("years_as_head >= 5", "years_as_head >= 4")
FACTS = {"years_as_head": 4, "contest_level": "regional", "contest_result": "laureate", "efficiency_percent": 85,
         "has_mentorship_certificate": True}
BASE = f"/methodology/rules/{NAME}"


@pytest.fixture(autouse=True)
def shipped_rules_run_afterwards():
    """Deploying changes the process's registry: put the shipped files back for the tests after this one."""
    yield
    registry = default_registry()
    for path in rule_file_paths():
        assert registry.install(path.read_bytes(), str(path)) == []


@pytest.fixture
def methodologist(client):
    login(client, "methodologist")
    return client


def stored(app) -> list[tuple[str, int, str]]:
    with database(app).session_factory() as session:
        return [(r.file_name, r.version, r.status) for r in session.scalars(
            select(RuleFileVersion).order_by(RuleFileVersion.file_name, RuleFileVersion.version))]


def save(client, text: str, comment: str = "порог стажа 4 года"):
    token = csrf_token(client.get(BASE).text)
    return client.post(BASE, data={"content": text, "comment": comment, "base_version": "1", "csrf_token": token})


def deploy(client, version: int):
    token = csrf_token(client.get(BASE).text)
    return client.post(f"{BASE}/versions/{version}/deploy", data={"csrf_token": token})


def test_the_list_shows_files_versions_and_use(app, methodologist):
    html = methodologist.get("/methodology/rules").text
    assert "Соответствие наставника требованиям" in html and f"{NAME}.yaml" in html
    assert "mentee_category_tomsk" in html and "network_mentor_yakutsk" not in html  # Yakutsk's file
    assert "решений пока нет" in html
    assert (f"{NAME}.yaml", 1, "deployed") in stored(app)


@pytest.mark.parametrize(("who", "path", "status"), [
    ("curator", "/methodology/rules", 403), ("mentor", BASE, 403), ("other_curator", f"{BASE}/try", 403),
    ("methodologist", "/methodology/rules/network_mentor_yakutsk", 403),
    ("methodologist", "/methodology/rules/no_such_rules", 404),
    ("methodologist", f"{BASE}?version=9", 404), ("methodologist", f"{BASE}/diff?old=1&new=x", 404),
])
def test_who_may_open_what(client, who, path, status):
    login(client, who)
    assert client.get(path).status_code == status


def test_anonymous_is_sent_to_login(client):
    assert client.get(BASE).status_code == 302


def test_the_editor_shows_the_deployed_text_and_versions(methodologist):
    html = methodologist.get(BASE).text
    assert 'id="rule-editor"' in html and "years_as_head &gt;= 5" in html
    assert "Версия 1" in html and "действует" in html and "js/rule_editor.js" in html
    assert 'data-validate-url="/methodology/rules/mentor_eligibility_tomsk/validate"' in html


def test_validation_as_you_type(methodologist):
    token = csrf_token(methodologist.get(BASE).text)
    broken = SHIPPED.replace("years_as_head >= 5", "years_as_hed >= 5")
    response = methodologist.post(f"{BASE}/validate", json={"content": broken}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    [problem] = response.json["problems"]
    assert problem["item"] == "head_experience" and "years_as_hed" in problem["message"]
    assert broken.split("\n")[problem["line"] - 1].strip() == "condition: years_as_hed >= 5"
    ok = methodologist.post(f"{BASE}/validate", json={"content": EDITED}, headers={"X-CSRFToken": token})
    assert ok.json == {"problems": []}
    assert methodologist.post(f"{BASE}/validate", json={"content": EDITED}).status_code == 400  # no CSRF token
    assert methodologist.post(f"{BASE}/validate", json={"text": 1}, headers={"X-CSRFToken": token}).status_code == 400


def test_a_broken_save_shows_the_problems_and_keeps_the_text(app, methodologist):
    broken = SHIPPED.replace("years_as_head >= 5", "years_as_hed >= 5")
    response = save(methodologist, broken, "моя правка")
    assert response.status_code == 422
    html = response.text
    assert "years_as_hed &gt;= 5" in html and "моя правка" in html  # nothing typed is lost
    line = broken.split("\n").index("    condition: years_as_hed >= 5") + 1
    assert "head_experience" in html and "неизвестный факт «years_as_hed»" in html and f"строка {line}" in html
    unbumped = save(methodologist, SHIPPED.replace("years_as_head >= 5", "years_as_head >= 4"))
    assert unbumped.status_code == 422 and "уже носит версия 1" in unbumped.text
    same = save(methodologist, SHIPPED)
    assert same.status_code == 422 and "изменений нет" in same.text
    assert stored(app).count((f"{NAME}.yaml", 1, "deployed")) == 1 and len(stored(app)) == len(rule_file_paths())


def test_save_then_deploy_then_decisions_use_the_new_version(app, methodologist):
    response = save(methodologist, EDITED.replace("\n", "\r\n"))
    assert response.status_code == 302 and response.location.endswith(f"{BASE}?version=2")
    page = methodologist.get(response.location).text
    assert "Сохранена версия 2" in page and "не действует" in page and "порог стажа 4 года" in page
    assert decide(NAME, FACTS)["version"] == "1"  # saved, not yet in use
    assert deploy(methodologist, 2).status_code == 302
    assert (f"{NAME}.yaml", 2, "deployed") in stored(app) and (f"{NAME}.yaml", 1, "draft") in stored(app)
    decision = decide(NAME, FACTS)
    assert (decision["version"], decision["verdict"]) == ("2", "eligible")
    assert "Версия 2 развёрнута" in methodologist.get(BASE).text


def test_each_app_runs_its_own_database_versions(app, methodologist, tmp_path, seed):
    save(methodologist, EDITED)
    deploy(methodologist, 2)
    from engine.db import Base, make_engine

    other_url = f"sqlite:///{(tmp_path / 'other.sqlite3').as_posix()}"
    engine = make_engine(other_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    other = make_test_app(other_url)  # another database in the same process: the shipped version
    assert decide(NAME, FACTS)["version"] == "1"
    methodologist.get("/login")  # a request to the first app brings its deployed version back
    assert decide(NAME, FACTS)["version"] == "2"
    other.test_client().get("/login")
    assert decide(NAME, FACTS)["version"] == "1"
    database(other).dispose()


def test_try_a_version_on_facts(methodologist):
    page = methodologist.get(f"{BASE}/try").text
    assert 'name="fact_years_as_head"' in page and 'type="number"' in page and 'max="70"' in page
    assert '<option value="federal">всероссийский</option>' in page and '<option value="yes">да</option>' in page
    token = csrf_token(page)
    response = methodologist.post(f"{BASE}/try", data={
        "csrf_token": token, "version": "1", "fact_years_as_head": "4", "fact_contest_level": "regional",
        "fact_contest_result": "laureate", "fact_efficiency_percent": "85", "fact_has_mentorship_certificate": ""})
    assert response.status_code == 200
    html = response.text
    assert "Не соответствует требованиям к наставнику" in html
    assert "Стаж в должности руководителя — 4 года, а требуется не менее 5 лет (003 §3.5)." in html
    assert "нет данных" in html and "Основание:" in html and "003 §3.5" in html
    assert "Срок назначения наставником" in html and "003 §3.4" in html


def test_bad_facts_are_named_not_a_500(methodologist):
    token = csrf_token(methodologist.get(f"{BASE}/try").text)
    response = methodologist.post(f"{BASE}/try", data={
        "csrf_token": token, "version": "1", "fact_years_as_head": "пять", "fact_efficiency_percent": "120",
        "fact_contest_level": "cosmic"})
    assert response.status_code == 422
    html = response.text
    assert "«пять» — не число" in html and "допустимо от 0 до 100" in html and "выберите значение из списка" in html
    assert "Решение</h2>" not in html and 'value="пять"' in html


def test_try_a_draft_version(methodologist):
    save(methodologist, EDITED)
    token = csrf_token(methodologist.get(f"{BASE}/try?version=2").text)
    html = methodologist.post(f"{BASE}/try", data={"csrf_token": token, "version": "2", **{
        f"fact_{k}": ("yes" if v is True else str(v)) for k, v in FACTS.items()}}).text
    assert "Может быть назначен наставником" in html and '<code>version: "2"</code>' in html
    assert decide(NAME, FACTS)["version"] == "1"


def test_fill_from_a_person_logs_the_access(app, methodologist, seed):
    with database(app).session_factory() as session:
        person = Person(full_name="Соколова Вера Павловна", login="sokolova_v", organization_id=seed.org.id,
                        years_as_head=7, contest_level="federal", contest_result="winner", efficiency_percent=95,
                        has_mentorship_certificate=True)
        session.add(person)
        session.commit()
        person_id = person.id
    page = methodologist.get(f"{BASE}/try").text
    assert "Соколова Вера Павловна" in page
    html = methodologist.get(f"{BASE}/try?version=1&person={person_id}").text
    assert "Может быть назначен наставником" in html and 'value="7"' in html
    with database(app).session_factory() as session:
        entry = session.scalars(select(AccessLogEntry).where(AccessLogEntry.subject_id == person_id)).one()
        assert (entry.purpose, entry.viewer_id) == ("rules_check", seed.people["methodologist"].id)
    assert methodologist.get(f"{BASE}/try?person={seed.people['other_curator'].id}").status_code == 403


def test_diff_of_two_versions(methodologist):
    save(methodologist, EDITED)
    html = methodologist.get(f"{BASE}/diff?old=1&new=2").text
    assert "Сравнение версий 1 и 2" in html
    assert "Критерии изменены:" in html and "head_experience" in html
    assert "условие: «years_as_head &gt;= 5» → «years_as_head &gt;= 4»" in html
    assert "rf-diff__row--replace" in html and "-    condition: years_as_head &gt;= 5" in html
    assert methodologist.get(f"{BASE}/diff").status_code == 200  # newest against the one before


def test_english_pages(methodologist):
    methodologist.get("/methodology/rules?lang=en")
    assert "Rule files" in methodologist.get("/methodology/rules").text
    assert "Save as a new version" in methodologist.get(BASE).text


def test_workflow_decisions_use_the_deployed_version(demo_database, tmp_path):
    """On the demo: version 2 lowers the minimum years as head to 3; proposing Kozlov (3 years) as mentor
    runs the appointment process, whose eligibility step now decides by version 2."""
    import shutil

    from engine.db.models import Decision
    from engine.demo.world import DEMO_PASSWORD
    from engine.services.mentorship import mentor_appointment
    from engine.services.people.actor import load_actor

    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    app = make_test_app(f"sqlite:///{copy.as_posix()}")
    client = app.test_client()
    login(client, "methodologist", DEMO_PASSWORD)
    lowered = SHIPPED.replace('version: "1"', 'version: "2"').replace("years_as_head >= 5", "years_as_head >= 3")
    assert save(client, lowered).status_code == 302 and deploy(client, 2).status_code == 302
    with database(app).session_factory() as session:
        curator = load_actor(session, "curator")
        kozlov = session.scalar(select(Person).where(Person.login == "kozlov"))
        organization = next(iter(curator.organizations("curator")))
        mentor_appointment.propose_mentor(session, curator, organization, kozlov.id)
        session.commit()
        decision = session.scalars(select(Decision).where(Decision.person_id == kozlov.id)
                                   .order_by(Decision.id.desc())).first()
        assert (decision.ruleset_version, decision.verdict) == ("2", "eligible")
    page = client.get("/methodology/rules").text
    assert "версия 2: решений 1" in page
    database(app).dispose()


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_deep_nesting_and_a_5000_digit_number_are_problems_in_the_editor_not_a_500(app, methodologist):
    token = csrf_token(methodologist.get(BASE).text)
    deep = SHIPPED + "\nnotes: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"
    huge = SHIPPED.replace("years_as_head >= 5", "years_as_head >= " + "9" * 5000)
    for text, item, words in ((deep, "файл", "вложенность"), (huge, "head_experience", "больше 30 цифр")):
        checked = methodologist.post(f"{BASE}/validate", json={"content": text}, headers={"X-CSRFToken": token})
        assert checked.status_code == 200
        [problem] = checked.json["problems"]
        assert problem["item"] == item and words in problem["message"] and problem["line"]
        saved = save(methodologist, text, "проба")
        assert saved.status_code == 422 and words in saved.text and "проба" in saved.text
    assert len(stored(app)) == len(rule_file_paths())  # nothing saved
