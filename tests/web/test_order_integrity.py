"""The head sees whether a signed order and the journals are as written (issue 11, finding 4): on the order's page
«подпись и цепочка проверены», or what is broken after the audit's attack (the text replaced with its SHA-256
recomputed, where the page used to say «текст совпадает с подписанным»); on the integrity page the state of every
chain with the first broken link; on a copy of the demo database."""
from __future__ import annotations

from sqlalchemy import func, select, text

from engine.db.models import AuditEntry, Order
from tests.tampering import attacker, forged_order, replace_row, row
from tests.web.test_programs import _session, client_as, demo_app  # noqa: F401 - demo_app is a fixture


def _signed_order(app) -> Order:
    with _session(app) as s:
        return s.scalars(select(Order).where(Order.status == "signed").order_by(Order.id)).first()


def _url(app) -> str:
    with _session(app) as s:
        return s.get_bind().url.render_as_string(hide_password=False)


def test_a_signed_order_shows_its_signature_and_chain_verified(demo_app):
    order = _signed_order(demo_app)
    html = client_as(demo_app, "head").get(f"/orders/{order.id}").text
    assert 'data-verified="true"' in html and "подпись и цепочка проверены" in html


def test_a_replaced_order_text_with_its_sha256_recomputed_is_shown_broken(demo_app):
    order = _signed_order(demo_app)
    with attacker(_url(demo_app)) as connection:  # SQLite's INSERT OR REPLACE on a connection of its own
        replace_row(connection, "orders", forged_order(row(connection, "orders", order.id),
                                                       order.body.replace("ПРИКАЗЫВАЮ", "РАЗРЕШАЮ")))
    html = client_as(demo_app, "head").get(f"/orders/{order.id}").text
    assert 'data-verified="false"' in html and "нарушена целостность приказа:" in html
    assert "подпись CMS сделана для другого текста: текст приказа изменён после подписания" in html
    assert "запись изменена после того, как вошла в цепочку" in html
    assert "подпись и цепочка проверены" not in html


def test_the_integrity_page_shows_every_chain_and_the_first_broken_link(demo_app):
    client = client_as(demo_app, "head")
    assert "Проверка целостности" in client.get("/orders").text
    html = client.get("/orders/integrity").text
    assert 'data-intact="true"' in html and "Цепочки и подписи целы: нарушений нет" in html
    with _session(demo_app) as s:
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
        victim = s.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.action == "order.signed"))
    last_digit, tens = entries % 10, entries % 100
    word = "звено" if last_digit == 1 and tens != 11 else (
        "звена" if 2 <= last_digit <= 4 and not 12 <= tens <= 14 else "звеньев")
    assert f"{entries} {word}" in html

    with attacker(_url(demo_app), triggers_off=True) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": victim})
    html = client.get("/orders/integrity").text
    assert 'data-intact="false"' in html and "Нарушена целостность: 1 нарушение" in html
    assert (f"Первое нарушенное звено:</strong> журнал действий, запись № {victim}: запись удалена"
            in html)


def test_the_integrity_page_is_the_head_s(demo_app):
    assert client_as(demo_app, "curator").get("/orders/integrity").status_code == 403
