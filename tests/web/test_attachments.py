"""Attachments through the web: uploads refused by type/size/count with the file named, downloads only
for the program's participants and its organization's staff, always as a download."""
from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select

from engine.db.models import Attachment, Organization, Person, RoleAssignment
from engine.demo.world import DEMO_PASSWORD
from engine.services.people.accounts import set_password
from tests.web.participants_support import (  # noqa: F401 - fixtures
    EXE,
    PDF,
    PNG,
    demo_app,
    demo_client,
    demo_url,
    engine_session,
    login_demo,
    review_report,
)
from tests.web.test_my import current_events, post_event


def upload_one(demo_app, demo_url) -> int:
    program_id = review_report(demo_url, approved=True)
    client = demo_app.test_client()
    login_demo(client, "volkov")
    event = current_events(demo_url)[0]
    response = post_event(client, program_id, event.id, note="фото", files=[("../../фото встречи.png", PNG)])
    assert response.status_code == 302, response.text[response.text.find("Не сохранено"):][:300]
    with engine_session(demo_url) as session:
        return session.scalar(select(Attachment.id))


def test_download_is_an_attachment_with_a_safe_name_and_nosniff(demo_app, demo_url):
    attachment_id = upload_one(demo_app, demo_url)
    for login in ("volkov", "orlova", "curator", "head", "methodologist"):
        client = demo_app.test_client()
        login_demo(client, login)
        response = client.get(f"/attachments/{attachment_id}")
        assert response.status_code == 200, login
        assert response.data == PNG and response.mimetype == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "/" not in disposition and ".." not in disposition
        assert f"filename*=UTF-8''{quote('фото встречи.png')}" in disposition  # the path is gone
        assert "no-store" in response.headers["Cache-Control"]


def test_download_refused_to_everyone_else(demo_app, demo_url):
    attachment_id = upload_one(demo_app, demo_url)
    with engine_session(demo_url) as session:
        other = Organization(kind="department", regulation="yakutsk", name="Управление образования г. Якутска")
        stranger = Person(login="yakutsk_curator", full_name="Иванова Мария Петровна")
        set_password(stranger, DEMO_PASSWORD)
        session.add_all([other, stranger])
        session.flush()
        session.add(RoleAssignment(person_id=stranger.id, organization_id=other.id, role="curator"))
        session.commit()
    for login in ("morozova", "novikova", "yakutsk_curator"):  # another mentor, another mentee, another org
        client = demo_app.test_client()
        login_demo(client, login)
        assert client.get(f"/attachments/{attachment_id}").status_code == 403, login
    client = demo_app.test_client()
    assert client.get(f"/attachments/{attachment_id}").status_code == 302  # to the login page
    login_demo(client, "volkov")
    assert client.get("/attachments/999999").status_code == 404


def test_forbidden_and_mismatched_files_are_refused_by_name(demo_app, demo_url):
    program_id = review_report(demo_url, approved=True)
    client = demo_app.test_client()
    login_demo(client, "volkov")
    event = current_events(demo_url)[0]
    cases = [
        ([("вирус.exe", EXE)], "вирус.exe", "исполняемая"),
        ([("скрипт.js", b"alert(1)")], "скрипт.js", "«.js» не принимается"),
        ([("фото.png", PDF)], "фото.png", "не похоже на PNG"),
        ([(f"{i}.pdf", PDF) for i in range(6)], "не больше 5 файлов", "выбрано: 6"),
    ]
    for files, name, message in cases:
        response = post_event(client, program_id, event.id, note="заметка остаётся", files=files)
        assert response.status_code == 422, name
        assert name in response.text and message in response.text and "заметка остаётся" in response.text
    with engine_session(demo_url) as session:
        assert session.scalars(select(Attachment)).all() == []


def test_size_limit_comes_from_the_config(demo_url):
    from tests.web.conftest import make_test_app
    from web.db import database

    app = make_test_app(demo_url, ATTACHMENT_MAX_BYTES=100, ATTACHMENTS_PER_ITEM=1)
    try:
        program_id = review_report(demo_url, approved=True)
        client = app.test_client()
        login_demo(client, "volkov")
        event = current_events(demo_url)[0]
        big = post_event(client, program_id, event.id, files=[("большой.pdf", PDF + b"0" * 200)])
        assert big.status_code == 422 and "большой.pdf" in big.text and "слишком большой" in big.text
        assert "до 0.0001 МБ" in big.text or "допускается до" in big.text
        assert post_event(client, program_id, event.id, files=[("a.pdf", PDF)]).status_code == 302
        second = post_event(client, program_id, event.id, files=[("b.pdf", PDF)])
        assert second.status_code == 422 and "уже приложено: 1" in second.text
    finally:
        database(app).dispose()
