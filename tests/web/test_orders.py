"""The head's orders on a copy of the demo database (test client): the list, the document, signing and
refusing through the workflow, and every refusal: wrong role, another organization, signed orders
(409), stale pages (409), a missing reason (422), a missing CSRF token (400)."""
from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask, Order, Program
from tests import factories as f
from tests.web.conftest import csrf_token, password_hash
from tests.web.test_programs import _session, client_as, demo_app  # noqa: F401 - demo_app is a fixture


def waiting_order_id(app) -> int:
    with _session(app) as s:
        return s.scalar(select(Order.id).where(Order.status == "awaiting_signature"))


def _form(client, order_id: int) -> tuple[str, str]:
    html = client.get(f"/orders/{order_id}").text
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return csrf_token(html), version


def test_the_head_lists_orders_awaiting_signature_and_the_decided_ones(demo_app):
    demo_app.config["ORDERS_PAGE_SIZE"] = 5
    client = client_as(demo_app, "head")
    order_id = waiting_order_id(demo_app)
    html = client.get("/orders").text
    assert f'href="/orders/{order_id}"' in html and "Ожидают подписи (1)" in html
    assert "Формирование наставнических пар (групп)" in html
    decided = client.get("/orders?tab=decided").text
    assert "Страница 1 из 3" in decided and decided.count('class="status status--signed"') == 5
    assert "Страница 3 из 3" in client.get("/orders?tab=decided&page=3").text
    assert client.get("/orders?tab=bogus&page=-4").status_code == 200


def test_the_awaiting_orders_come_a_page_at_a_time_oldest_first(demo_app):
    """A department with many orders sent for signature at once (a mass pairing): the head's list counts them all
    and shows one page, oldest first; the second page the rest."""
    demo_app.config["ORDERS_PAGE_SIZE"] = 5
    with _session(demo_app) as s:
        department = s.get(Order, waiting_order_id(demo_app)).organization
        for n in range(7):
            f.make_order(s, organization=department, subject=f"О наставничестве № {n}").submit_for_signature()
        s.commit()
    client = client_as(demo_app, "head")
    first = client.get("/orders").text
    assert "Ожидают подписи (8)" in first and "Страница 1 из 2" in first
    assert first.count('<tr data-order="') == 5 and "О наставничестве № 6" not in first
    second = client.get("/orders?page=2").text
    assert second.count('<tr data-order="') == 3 and "О наставничестве № 6" in second


def test_the_order_reads_as_the_document(demo_app):
    client = client_as(demo_app, "head")
    html = client.get(f"/orders/{waiting_order_id(demo_app)}").text
    for part in ("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА", ">ПРИКАЗ<", "г. Томск",
                 "О формировании наставнических пар (групп)", "ПРИКАЗЫВАЮ:", "1.1. Наставник – Лебедев Сергей Петрович",
                 "Белова Татьяна Николаевна", "Подписать", "Отказать в подписании", "Причина отказа"):
        assert part in html, part


def test_signing_goes_through_the_workflow_and_a_signed_order_cannot_change(demo_app):
    client = client_as(demo_app, "head")
    order_id = waiting_order_id(demo_app)
    token, version = _form(client, order_id)
    response = client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": version})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{order_id}")
    html = client.get(f"/orders/{order_id}").text
    assert "Приказ подписан: №" in html and 'data-verified="true"' in html and "(местное время, UTC+07:00)" in html
    assert "Отказать в подписании" not in html and "/sign" not in html
    with _session(demo_app) as s:
        order = s.get(Order, order_id)
        assert order.status == "signed" and order.signer.login == "head"
        program = s.scalar(select(Program).where(Program.group.has(order_id=order_id)))
        assert program is not None and program.status == "active"
        assert f'href="/programs/{program.id}"' in html
        body, sha = order.body, order.document_sha256
    text = client.get(f"/orders/{order_id}/document.txt")
    assert text.headers["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(text.data).hexdigest() == sha and text.data.decode() == body

    again = client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": version})
    assert again.status_code == 409 and "уже подписан" in again.text  # the stale double submit
    refused = client.post(f"/orders/{order_id}/refuse", data={"csrf_token": token, "version": version,
                                                              "reason": "передумала"})
    assert refused.status_code == 409
    with _session(demo_app) as s:
        assert s.get(Order, order_id).document_sha256 == sha


def test_refusing_needs_a_reason_and_returns_the_order_to_the_curator(demo_app):
    client = client_as(demo_app, "head")
    order_id = waiting_order_id(demo_app)
    token, version = _form(client, order_id)
    empty = client.post(f"/orders/{order_id}/refuse", data={"csrf_token": token, "version": version, "reason": "  "})
    assert empty.status_code == 422 and "Укажите причину отказа" in empty.text
    response = client.post(f"/orders/{order_id}/refuse",
                           data={"csrf_token": token, "version": version, "reason": "Нет согласия на обработку ПДн"})
    assert response.status_code == 302
    html = client.get(f"/orders/{order_id}").text
    assert "Нет согласия на обработку ПДн" in html and "Предложить наставника и наставляемых" in html
    with _session(demo_app) as s:
        order = s.get(Order, order_id)
        assert order.status == "refused"
        tasks = s.scalars(select(OpenTask).where(OpenTask.instance_id == order.workflow_instance_id)).all()
        assert [(t.form_id, t.role) for t in tasks] == [("propose_pair", "curator")]


def test_a_stale_page_gets_409_and_nothing_changes(demo_app):
    client = client_as(demo_app, "head")
    order_id = waiting_order_id(demo_app)
    token, version = _form(client, order_id)
    stale = client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": int(version) - 1})
    assert stale.status_code == 409
    no_token = client.post(f"/orders/{order_id}/sign", data={"version": version})
    assert no_token.status_code == 400
    with _session(demo_app) as s:
        assert s.get(Order, order_id).status == "awaiting_signature"


@pytest.mark.parametrize("who", ["curator", "methodologist"])
def test_other_staff_read_but_cannot_sign(demo_app, who):
    client = client_as(demo_app, who)
    order_id = waiting_order_id(demo_app)
    assert client.get("/orders").status_code == 403
    html = client.get(f"/orders/{order_id}").text
    assert "ПРИКАЗЫВАЮ:" in html and "Отказать в подписании" not in html
    token = csrf_token(html)
    assert client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": 1}).status_code == 403
    assert client.post(f"/orders/{order_id}/refuse",
                       data={"csrf_token": token, "version": 1, "reason": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["lebedev", "belova", "volkov"])
def test_participants_get_403(demo_app, who):
    client = client_as(demo_app, who)
    order_id = waiting_order_id(demo_app)
    assert client.get("/orders").status_code == 403
    assert client.get(f"/orders/{order_id}").status_code == 403
    assert client.get(f"/orders/{order_id}/document.txt").status_code == 403


def test_a_head_of_another_organization_gets_403(demo_app):
    with _session(demo_app) as s:
        other = f.make_department(s, name="Управление образования г. Якутска", regulation="yakutsk")
        f.make_role(s, f.make_person(s, login="other_head", password_hash=password_hash()), other, "head")
        s.commit()
    client = demo_app.test_client()
    page = client.get("/login")
    from tests.web.conftest import PASSWORD

    client.post("/login", data={"login": "other_head", "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    order_id = waiting_order_id(demo_app)
    assert "Нет приказов, ожидающих вашей подписи." in client.get("/orders").text
    assert client.get(f"/orders/{order_id}").status_code == 403
    token = csrf_token(client.get("/orders").text)
    assert client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": 1}).status_code == 403
    assert client.get("/orders/999999").status_code == 404


def _docx_paragraphs(data: bytes) -> list[str]:
    from io import BytesIO

    from docx import Document as WordDocument

    return [p.text for p in WordDocument(BytesIO(data)).paragraphs]


def _pdf_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def test_the_order_downloads_as_a_pdf_draft_then_signed_with_stamp_and_hash(demo_app):
    client = client_as(demo_app, "head")
    order_id = waiting_order_id(demo_app)
    assert f'href="/orders/{order_id}/document.pdf"' in client.get(f"/orders/{order_id}").text
    draft = client.get(f"/orders/{order_id}/document.pdf")
    assert draft.status_code == 200 and draft.mimetype == "application/pdf"
    assert draft.headers["Content-Disposition"].startswith("attachment") and draft.data.startswith(b"%PDF-")
    text = _pdf_text(draft.data)
    assert "ПРОЕКТ" in text and "О формировании наставнических пар (групп)" in text  # Cyrillic reads back
    assert "Лебедев Сергей Петрович" in text and "SHA-256" not in text

    token, version = _form(client, order_id)
    client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": version})
    with _session(demo_app) as s:
        sha = s.get(Order, order_id).document_sha256
    text = _pdf_text(client.get(f"/orders/{order_id}/document.pdf").data)
    assert "ПРОЕКТ" not in text and f"SHA-256 текста приказа: {sha}" in text
    assert "Я подтверждаю этот документ" in text  # the signature stamp
    assert client_as(demo_app, "volkov").get(f"/orders/{order_id}/document.pdf").status_code == 403


def test_the_order_downloads_as_a_word_document_draft_then_signed(demo_app):
    client = client_as(demo_app, "head")
    order_id = waiting_order_id(demo_app)
    assert f'href="/orders/{order_id}/document.docx"' in client.get(f"/orders/{order_id}").text
    draft = client.get(f"/orders/{order_id}/document.docx")
    assert draft.status_code == 200 and draft.headers["Content-Disposition"].startswith("attachment")
    assert draft.mimetype.endswith("wordprocessingml.document")
    lines = _docx_paragraphs(draft.data)
    assert lines[0] == "П Р О Е К Т" and "П Р И К А З" in lines
    assert "О формировании наставнических пар (групп)" in lines
    assert any(line.startswith("1.1. Наставник – Лебедев Сергей Петрович") for line in lines)
    assert not any("SHA-256" in line for line in lines)

    token, version = _form(client, order_id)
    client.post(f"/orders/{order_id}/sign", data={"csrf_token": token, "version": version})
    with _session(demo_app) as s:
        sha = s.get(Order, order_id).document_sha256
    lines = _docx_paragraphs(client.get(f"/orders/{order_id}/document.docx").data)
    assert "П Р О Е К Т" not in lines and f"SHA-256 текста приказа: {sha}" in lines
    assert any("Я подтверждаю этот документ" in line for line in lines)  # the signature stamp
    assert client_as(demo_app, "volkov").get(f"/orders/{order_id}/document.docx").status_code == 403
