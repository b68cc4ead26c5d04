"""«Приказы о модели наставничества» (004 прил. 1 п. 3.1.1): the Tomsk department's curator opens the page from her
menu, sees the orders her pack provides (the curator's appointment, the regulation's approval — not the target
model's introduction, which 003 does not have), is told in Russian under the field what is missing, sends the
draft; the head finds it in «Приказы на подпись», signs it, and downloads it as DOCX and PDF with its number."""
from __future__ import annotations

import re
from io import BytesIO

from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from engine.db.models import Order, Organization
from engine.services.process.definitions import deploy_shipped
from tests.web.conftest import csrf_token, login
from web.db import database


def _deploy(app) -> None:
    with database(app).session_factory() as s:
        deploy_shipped(s)
        s.commit()


def test_the_curator_prepares_the_regulation_order_and_the_head_signs_it(app, seed):
    _deploy(app)
    curator = app.test_client()
    login(curator, "curator")
    index = curator.get("/model-orders")
    assert index.status_code == 200 and "Приказы о модели наставничества" in index.text
    assert "Об утверждении Положения о наставничестве" in index.text and "О назначении куратора" in index.text
    assert "О внедрении целевой модели наставничества" not in index.text
    assert curator.get("/model-orders/target_model").status_code == 404  # 003 has no such order

    page = curator.get("/model-orders/regulation")
    assert page.status_code == 200 and "Дата введения положения в действие" in page.text
    refused = curator.post("/model-orders/regulation", data={"csrf_token": csrf_token(page.text),
                                                             "regulation_title": "Положение о наставничестве"})
    assert refused.status_code == 422 and "обязательное поле" in refused.text and "field--error" in refused.text
    bad_date = curator.post("/model-orders/regulation", data={"csrf_token": csrf_token(page.text),
                                                              "effective_on": "20.02.2024"})
    assert bad_date.status_code == 422 and "Дата введения положения в действие" in bad_date.text
    sent = curator.post("/model-orders/regulation", data={"csrf_token": csrf_token(page.text),
                                                          "effective_on": "2024-02-20"}, follow_redirects=True)
    assert sent.status_code == 200 and "направлен на подпись" in sent.text

    head = app.test_client()
    login(head, "head")
    awaiting = head.get("/orders")
    assert "Об утверждении Положения о наставничестве" in awaiting.text
    with database(app).session_factory() as s:
        order_id = s.scalars(select(Order.id).where(Order.type == "regulation")).one()
    shown = head.get(f"/orders/{order_id}")
    version = re.search(r'name="version"[^>]*value="(\d+)"', shown.text) or re.search(
        r'value="(\d+)"[^>]*name="version"', shown.text)
    assert version, "no version on the order's page"
    signed = head.post(f"/orders/{order_id}/sign", data={"csrf_token": csrf_token(shown.text),
                                                         "version": version.group(1)})
    assert signed.status_code == 302
    with database(app).session_factory() as s:
        order = s.get(Order, order_id)
        assert order.status == "signed" and order.number
        number = order.number
    word = " ".join(p.text for p in Document(BytesIO(head.get(f"/orders/{order_id}/document.docx").data)).paragraphs)
    pdf = " ".join(p.extract_text() for p in PdfReader(BytesIO(head.get(f"/orders/{order_id}/document.pdf").data)).pages)
    for text in (word, " ".join(pdf.split())):
        assert "Об утверждении Положения о наставничестве" in text and f"№ {number}" in text
    assert "Утверждение положения о наставничестве" in head.get("/orders?tab=decided").text


def test_people_without_the_role_are_refused(app, seed):
    for who in ("mentor", "head"):
        client = app.test_client()
        login(client, who)
        assert client.get("/model-orders").status_code == 403
        assert client.get("/model-orders/regulation").status_code == 403


def test_a_college_curator_prepares_its_local_acts_in_its_own_words(app, seed):
    """The department bound to the college pack (002): the page offers the three acts of 002 §4.1.1 in the
    college's words, the form has no pedagogical council's protocol (002 names none), the head signs the draft."""
    _deploy(app)
    with database(app).session_factory() as s:
        organization = s.get(Organization, seed.org.id)
        organization.regulation, organization.kind = "college", "college"
        s.commit()
    curator = app.test_client()
    login(curator, "curator")
    index = curator.get("/model-orders")
    assert index.status_code == 200 and index.text.count("002 §4.1.1") == 3
    for title in ("О внедрении системы наставничества педагогических работников",
                  "Об утверждении Положения о системе наставничества педагогических работников",
                  "Об утверждении дорожной карты по реализации Положения о системе наставничества"):
        assert title in index.text
    assert "целевой модели наставничества</td>" not in index.text
    page = curator.get("/model-orders/implementation_plan")
    assert page.status_code == 200 and "Наименование плана (дорожной карты)" in page.text
    assert "council_protocol" not in page.text and "педагогического совета" not in page.text
    sent = curator.post("/model-orders/implementation_plan", data={
        "csrf_token": csrf_token(page.text), "plan_title": "Дорожная карта на 2025/2026 учебный год",
        "starts_on": "2025-09-15", "council_held_on": "2025-08-29"}, follow_redirects=True)  # a hidden field ignored
    assert sent.status_code == 200 and "направлен на подпись" in sent.text

    head = app.test_client()
    login(head, "head")
    assert "Об утверждении дорожной карты по реализации Положения" in head.get("/orders").text
    with database(app).session_factory() as s:
        order_id = s.scalars(select(Order.id).where(Order.type == "implementation_plan")).one()
    shown = head.get(f"/orders/{order_id}")
    version = re.search(r'name="version"[^>]*value="(\d+)"', shown.text) or re.search(
        r'value="(\d+)"[^>]*name="version"', shown.text)
    assert version
    assert head.post(f"/orders/{order_id}/sign", data={"csrf_token": csrf_token(shown.text),
                                                       "version": version.group(1)}).status_code == 302
    with database(app).session_factory() as s:
        order = s.get(Order, order_id)
        body = " ".join(order.body.split())
        assert order.status == "signed" and f"№ {order.number}" in body
    assert "2. Приступить к реализации дорожной карты с 15.09.2025." in body and "протокол" not in body
