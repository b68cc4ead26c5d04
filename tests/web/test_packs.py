"""The methodologist's regulation packs through the test client: the list, a version's files, editing one file
(problems by file, field and line; a draft), deploying it, the difference between versions, a zip upload, and
who may open what."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from engine.db.models import Organization, RegulationPackVersion
from engine.regulations import PACKS_DIRECTORY, forget_installed, read_folder, roadmap
from tests.factories import make_person, make_role
from tests.web.conftest import csrf_token, login, password_hash
from web.db import database

BASE = "/methodology/packs/tomsk"
ROADMAP = "roadmaps/tomsk_new_head.yaml"
OLD_EVENT = "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
NEW_EVENT = "Диагностика затруднений вновь назначенного руководителя (анкета департамента)"
SHIPPED_ROADMAP = (PACKS_DIRECTORY / "tomsk" / ROADMAP).read_text(encoding="utf-8")
SHIPPED_MANIFEST = (PACKS_DIRECTORY / "tomsk" / "pack.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def packs_as_shipped():
    yield
    forget_installed()


@pytest.fixture
def methodologist(client):
    login(client, "methodologist")
    return client


def stored(app) -> list[tuple[int, str]]:
    with database(app).session_factory() as session:
        return [(r.version, r.status) for r in session.scalars(
            select(RegulationPackVersion).where(RegulationPackVersion.pack_id == "tomsk")
            .order_by(RegulationPackVersion.version))]


def save(client, path: str, text: str, note: str = "правка", base: str = "1"):
    token = csrf_token(client.get(f"{BASE}/files/{path}").text)
    return client.post(f"{BASE}/files/{path}", data={"content": text, "note": note, "base_version": base,
                                                     "csrf_token": token})


def test_the_list_shows_the_packs_of_my_organizations(app, methodologist):
    html = methodologist.get("/methodology/packs").text
    assert "Наставничество руководителей муниципальных образовательных учреждений г. Томска" in html
    assert "Положение 003" in html and "версия 1" in html and "ДО Томска, СОШ № 8" in html
    assert "yakutsk" not in html  # no organization of mine works by it
    assert stored(app) == [(1, "deployed")]
    assert 'href="/methodology/packs"' in methodologist.get("/methodology/rules").text  # the tabs link here
    assert 'href="/methodology/packs"' in methodologist.get("/methodology").text


def test_a_version_shows_its_files_and_rule_files(methodologist):
    html = methodologist.get(BASE).text
    assert "Файлы версии 1" in html and f"{BASE}/files/{ROADMAP}?version=1" in html
    assert "Описание положения" in html and "Дорожная карта" in html
    assert 'href="/methodology/rules/mentor_eligibility_tomsk"' in html
    assert methodologist.get(f"{BASE}/files/{ROADMAP}").text.count(OLD_EVENT) == 1


def test_a_broken_edit_lists_every_problem_and_stores_nothing(app, methodologist):
    broken = SHIPPED_MANIFEST.replace("roadmap: tomsk_reservist", "roadmap: tomsk_reserve").replace(
        "end: day_before", "end: someday")
    response = save(methodologist, "pack.yaml", broken)
    assert response.status_code == 422
    html = response.text
    assert "Найдено проблем: 2. Версия не сохранена." in html
    assert "mentee_categories[0].roadmap" in html and "дорожной карты «tomsk_reserve» нет в папке roadmaps/" in html
    line = broken.split("\n").index("    roadmap: tomsk_reserve") + 1
    assert f'data-line="{line}"' in html and "mentor_term.end" in html
    assert "tomsk_reserve" in html  # the text typed is kept in the editor
    assert stored(app) == [(1, "deployed")]


def test_checking_as_you_type(methodologist):
    token = csrf_token(methodologist.get(f"{BASE}/files/{ROADMAP}").text)
    broken = SHIPPED_ROADMAP.replace("mentee_category: new_head", "mentee_category: newbie")
    response = methodologist.post(f"{BASE}/files/{ROADMAP}/validate", data=json.dumps({"content": broken,
                                                                                      "base_version": "1"}),
                                  content_type="application/json", headers={"X-CSRFToken": token})
    [problem] = response.get_json()["problems"]
    assert problem["item"] == "mentee_category" and "категории «newbie» нет в pack.yaml" in problem["message"]
    assert broken.split("\n")[problem["line"] - 1] == "mentee_category: newbie"
    fine = methodologist.post(f"{BASE}/files/{ROADMAP}/validate", data=json.dumps({"content": SHIPPED_ROADMAP}),
                              content_type="application/json", headers={"X-CSRFToken": token})
    assert fine.get_json() == {"problems": []}


def test_save_deploy_and_compare_a_roadmap_edit(app, methodologist):
    response = save(methodologist, ROADMAP, SHIPPED_ROADMAP.replace(OLD_EVENT, NEW_EVENT), note="формулировка 1.1")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}?version=2")
    html = methodologist.get(f"{BASE}?version=2").text
    assert "Сохранена версия 2. Она ещё не действует" in html and "черновик" in html
    assert "На основе версии 1; изменены:" in html and "изменён в этой версии" in html
    assert stored(app) == [(1, "deployed"), (2, "draft")]
    assert roadmap("tomsk_new_head").stages[0].events[0].name == OLD_EVENT

    token = csrf_token(html)
    response = methodologist.post(f"{BASE}/versions/2/deploy", data={"csrf_token": token}, follow_redirects=True)
    assert "Версия 2 развёрнута: новые программы и документы организаций" in response.text
    assert stored(app) == [(1, "superseded"), (2, "deployed")]
    assert roadmap("tomsk_new_head").stages[0].events[0].name == NEW_EVENT

    diff = methodologist.get(f"{BASE}/diff?old=1&new=2").text
    assert "Сравнение версий 1 и 2" in diff and ROADMAP in diff and "pack.yaml" not in diff.split("<h1>")[1]
    assert NEW_EVENT in diff and OLD_EVENT in diff
    assert OLD_EVENT in methodologist.get(f"{BASE}/files/{ROADMAP}?version=1").text  # the old version stays readable


def test_an_order_template_edited_and_a_stray_file_refused(app, methodologist):
    """An order's wording is a file of the pack (rules/tomsk/orders/*.j2): edited, it becomes a draft; a template
    that does not parse is refused naming its line; a file of no kind cannot be added."""
    path = "orders/pair_formation.j2"
    shipped = (PACKS_DIRECTORY / "tomsk" / path).read_text(encoding="utf-8")
    assert "Шаблон приказа" in methodologist.get(f"{BASE}/files/{path}").text
    edited = shipped.replace("Утвердить наставнические пары (группы)", "Закрепить наставнические пары (группы)")
    assert edited != shipped and save(methodologist, path, edited).status_code == 302
    assert stored(app) == [(1, "deployed"), (2, "draft")]
    broken = save(methodologist, path, shipped.replace("{% endblock %}", "{% endblok %}", 1))
    assert broken.status_code == 422 and "tomsk/orders/pair_formation.j2" in broken.text and "строка" in broken.text
    assert stored(app) == [(1, "deployed"), (2, "draft")]
    token = csrf_token(methodologist.get(BASE).text)
    bad = methodologist.post(f"{BASE}/new-file", data={"path": "notes.txt", "csrf_token": token},
                             follow_redirects=True)
    assert "файл «notes.txt» не может входить в положение" in bad.text


def _zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for relative, data in files.items():
            archive.writestr(f"tomsk/{relative}", data)
    buffer.seek(0)
    return buffer


def test_a_zip_upload(app, methodologist):
    files = read_folder(PACKS_DIRECTORY / "tomsk")
    files[ROADMAP] = files[ROADMAP].replace(OLD_EVENT.encode(), NEW_EVENT.encode())
    token = csrf_token(methodologist.get(BASE).text)
    response = methodologist.post(f"{BASE}/upload", data={"archive": (_zip(files), "tomsk.zip"), "note": "из git",
                                                          "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 302 and stored(app) == [(1, "deployed"), (2, "draft")]
    files["roadmaps/extra.txt"] = b"?"
    response = methodologist.post(f"{BASE}/upload", data={"archive": (_zip(files), "tomsk.zip"), "csrf_token": token},
                                  content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Найдено проблем: 1" in response.text and "roadmaps/extra.txt" in response.text
    assert "лишний файл" in response.text and stored(app) == [(1, "deployed"), (2, "draft")]


@pytest.fixture
def yakutsk_methodologist(app, seed):
    with database(app).session_factory() as session:
        other = session.get(Organization, seed.other_org.id)
        person = make_person(session, login="yakutsk_methodologist", full_name="Саввинов Айаал Петрович",
                             password_hash=password_hash())
        make_role(session, person, other, "methodologist")
        session.commit()


@pytest.mark.parametrize(("who", "path", "status"), [
    ("curator", "/methodology/packs", 403),
    ("yakutsk_methodologist", BASE, 403),
    ("yakutsk_methodologist", f"{BASE}/files/{ROADMAP}", 403),
    ("yakutsk_methodologist", "/methodology/packs/yakutsk", 200),
    ("methodologist", "/methodology/packs/yakutsk", 403),
    ("methodologist", "/methodology/packs/moscow", 404),
    ("methodologist", f"{BASE}/files/rulesets/mentor_bonus_tomsk.yaml", 404),
    ("methodologist", f"{BASE}?version=9", 404),
])
def test_who_may_open_what(client, yakutsk_methodologist, who, path, status):
    login(client, who)
    response = client.get(path)
    assert response.status_code == status
    if status == 403:
        assert "Доступ запрещён" in response.text


def test_another_regions_methodologist_cannot_deploy(app, client, yakutsk_methodologist):
    login(client, "yakutsk_methodologist")
    token = csrf_token(client.get("/methodology/packs/yakutsk").text)
    assert client.post(f"{BASE}/versions/1/deploy", data={"csrf_token": token}).status_code == 403
