"""The audit trail, the access log and the signed orders are tamper-evident (issue 11, finding 4): every attack
the audit tried — a row replaced with its SHA-256 recomputed, the chain re-hashed, a row deleted, the table
truncated — is refused where the database can refuse it and, done around every safeguard, found by
``verify_all`` naming the table, the entry and what is wrong; on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from engine.db.models import AuditEntry, ChainLink, Order, record_audit
from engine.integrity.canonical import chain_hash, head_seal, seal
from engine.integrity.keys import chain_key, organization_certificate
from engine.services.audit.integrity import verify_all, verify_order
from tests.tampering import attacker, forged_order, replace_row, row, signed_order_world


@pytest.fixture(autouse=True)
def _own_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    monkeypatch.delenv("NASTAVNIK_SIGNING_KEY", raising=False)


@pytest.fixture
def world(db_session):
    return signed_order_world(db_session)


def _report(session):
    session.rollback()
    return verify_all(session)


def _last_audit_id(session) -> int:
    return session.scalar(select(func.max(AuditEntry.id)))


def test_an_untouched_database_is_intact_and_every_row_is_chained(db_session, world):
    report = _report(db_session)
    assert report.intact, [str(b) for b in report.breaks]
    counts = {chain.chain: chain.links for chain in report.chains}
    assert counts == {"audit": db_session.scalar(select(func.count()).select_from(AuditEntry)), "access": 1,
                      "orders": 1}
    order = db_session.get(Order, world["order"])
    assert order.document_signature and verify_order(db_session, order).verified
    assert "звень" in report.summary() or "звена" in report.summary()


def test_replace_with_the_sha256_recomputed_is_refused_and_done_around_it_is_found(db_session, db_url, world):
    order_id = world["order"]
    with db_session.get_bind().connect() as connection:  # the application's connection refuses REPLACE
        forged = forged_order(row(connection, "orders", order_id), "Приказ подменён")
        with pytest.raises(DBAPIError, match="refused"):
            replace_row(connection, "orders", forged)
    # the audit's attack: SQLite's REPLACE without recursive triggers; PostgreSQL with the triggers off
    with attacker(db_url, triggers_off=db_url.startswith("postgresql")) as connection:
        replace_row(connection, "orders", forged_order(row(connection, "orders", order_id), "Приказ подменён"))
    report = _report(db_session)
    assert not report.intact
    first = report.breaks[0]
    assert first.table == "orders" and first.entry == f"приказ № {world['number']} (запись № {order_id})"
    assert "изменена после того, как вошла в цепочку" in first.problem
    assert any("подпись CMS сделана для другого текста" in b.problem for b in report.breaks)
    page = verify_order(db_session, db_session.get(Order, order_id))
    assert not page.verified and any("CMS" in p for p in page.problems)


def test_an_audit_entry_replaced_is_found_by_its_id(db_session, db_url, world):
    entry_id = _last_audit_id(db_session)
    with attacker(db_url, triggers_off=db_url.startswith("postgresql")) as connection:
        original = row(connection, "audit_entries", entry_id)
        replace_row(connection, "audit_entries", {"id": entry_id, "at": original["at"], "actor_id": None,
                                                  "organization_id": original["organization_id"],
                                                  "action": "order.refused", "object_type": "orders",
                                                  "object_id": original["object_id"], "details": None})
    breaks = _report(db_session).breaks
    assert [(b.table, b.entry) for b in breaks] == [("audit_entries", f"запись № {entry_id}")]
    assert "изменена" in breaks[0].problem
    assert str(breaks[0]).startswith(f"журнал действий, запись № {entry_id}: запись изменена")


def test_re_hashing_the_chain_without_the_key_is_found_by_the_seal(db_session, db_url, world):
    """The attacker changes an entry, recomputes its link and every link after it and the head — every SHA-256
    right — but seals them with a key of his own: the first re-hashed link's seal does not match."""
    entry_id = _last_audit_id(db_session) - 1
    forged_key = b"k" * 32
    with attacker(db_url, triggers_off=True) as connection:
        connection.execute(text("UPDATE audit_entries SET action = 'forged' WHERE id = :id"), {"id": entry_id})
        links = list(connection.execute(text(
            "SELECT * FROM chain_links WHERE chain = 'audit' ORDER BY seq")).mappings())
        start = next(i for i, link in enumerate(links) if link["record_id"] == entry_id)
        from engine.db.chain import load_rows
        from engine.integrity.canonical import content_sha256
        previous = links[start]["previous_hash"]
        for link in links[start:]:
            content = content_sha256("audit", load_rows(connection, "audit", [link["record_id"]])[link["record_id"]])
            current = chain_hash("audit", link["seq"], link["record_id"], previous, content)
            connection.execute(text("UPDATE chain_links SET content_sha256 = :c, previous_hash = :p, chain_hash = :h,"
                                    " seal = :s WHERE id = :id"),
                               {"c": content, "p": previous, "h": current, "s": seal(forged_key, current),
                                "id": link["id"]})
            previous = current
        connection.execute(text("UPDATE chain_heads SET chain_hash = :h, seal = :s WHERE chain = 'audit'"),
                           {"h": previous, "s": head_seal(forged_key, "audit", links[-1]["seq"], previous)})
    breaks = _report(db_session).breaks
    assert breaks and breaks[0].table == "audit_entries"
    assert breaks[0].entry == f"запись № {entry_id}"
    assert f"печать (HMAC) звена № {links[start]['seq']} не сходится" in breaks[0].problem


def test_a_deleted_row_is_refused_and_done_around_it_is_found(db_session, db_url, world):
    entry_id = _last_audit_id(db_session) - 2
    with pytest.raises(DBAPIError, match="refused"), attacker(db_url) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry_id})
    with attacker(db_url, triggers_off=True) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry_id})
    breaks = _report(db_session).breaks
    assert [(b.entry, b.problem.split(" (")[0]) for b in breaks] == [(f"запись № {entry_id}", "запись удалена")]


def test_a_row_deleted_with_its_link_breaks_the_chain_and_a_cut_tail_breaks_the_head(db_session, db_url, world):
    ids = list(db_session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))
    with attacker(db_url, triggers_off=True) as connection:
        for entry_id in (ids[1], ids[-1]):
            connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry_id})
            connection.execute(text("DELETE FROM chain_links WHERE chain = 'audit' AND record_id = :id"),
                               {"id": entry_id})
    problems = [b.problem for b in _report(db_session).breaks]
    assert problems == ["звено № 2 цепочки удалено (перед звеном № 3)",
                        f"последнее звено цепочки удалено (№ {len(ids)}): журнал усечён"]


def test_truncate_is_refused_and_a_superuser_truncating_is_found(db_session, db_url, world):
    postgres = db_url.startswith("postgresql")
    statement = "TRUNCATE audit_entries, access_log" if postgres else "DELETE FROM audit_entries"
    with pytest.raises(DBAPIError, match="refused"), attacker(db_url) as connection:
        connection.execute(text(statement))
    if postgres:
        for table in ("orders", "chain_links", "chain_heads"):
            with pytest.raises(DBAPIError, match="TRUNCATE on .* refused"), attacker(db_url) as connection:
                connection.execute(text(f"TRUNCATE {table} CASCADE"))
    with attacker(db_url, triggers_off=True) as connection:
        connection.execute(text(statement))
        if not postgres:
            connection.execute(text("DELETE FROM access_log"))
    report = _report(db_session)
    tables = {b.table for b in report.breaks}
    assert tables == {"audit_entries", "access_log"}
    assert all("запись удалена" in b.problem for b in report.breaks)
    assert len(report.breaks) == report.chains[0].links + report.chains[1].links


def test_truncating_the_chains_too_is_found_by_the_rows_left_outside_them(db_session, db_url, world):
    with attacker(db_url, triggers_off=True) as connection:
        connection.execute(text("DELETE FROM chain_links"))
        connection.execute(text("DELETE FROM chain_heads"))
    breaks = _report(db_session).breaks
    assert {b.table for b in breaks} == {"audit_entries", "access_log", "orders"}
    assert any(b.entry == f"приказ № {world['number']} (запись № {world['order']})"
               and "не входит в цепочку" in b.problem for b in breaks)


def test_a_row_inserted_around_the_application_is_outside_the_chain(db_session, db_url, world):
    with attacker(db_url) as connection:
        connection.execute(text("INSERT INTO audit_entries (id, at, action, object_type) "
                                "VALUES (9999, '2024-02-20 03:00:00', 'order.signed', 'orders')"))
    breaks = _report(db_session).breaks
    assert [(b.entry, b.problem) for b in breaks] == [
        ("запись № 9999", "запись не входит в цепочку: добавлена в обход приложения")]


def test_another_key_or_another_certificate_does_not_verify(db_session, world, tmp_path, monkeypatch):
    db_session.rollback()
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "other"))
    report = verify_all(db_session)
    assert not report.intact
    assert "печать (HMAC) звена № 1 не сходится" in report.breaks[0].problem
    assert any("другим сертификатом" in b.problem for b in report.breaks)


def test_the_order_carries_a_cms_signature_of_its_text_by_the_organization_certificate(db_session, world):
    from engine.integrity.cms import signature_problem

    order = db_session.get(Order, world["order"])
    certificate = organization_certificate()
    assert signature_problem(order.body, order.document_signature, certificate) is None
    assert signature_problem(order.body + " ", order.document_signature, certificate) is not None
    assert hashlib.sha256(chain_key()).hexdigest()  # the key exists outside the database
    link = db_session.scalars(select(ChainLink).where(ChainLink.chain == "orders")).one()
    assert link.record_id == order.id and link.seq == 1


def test_concurrent_appends_keep_one_chain(db_session_factory):
    """PostgreSQL: the head's row lock serialises the appends; SQLite: its one writer at a time does."""
    workers, per_worker = 6, 5
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            with db_session_factory() as session:
                barrier.wait(timeout=30)
                for i in range(per_worker):
                    record_audit(session, "test.concurrent", object_type="worker", object_id=f"{number}-{i}")
                    session.flush()
                session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with db_session_factory() as session:
        report = verify_all(session)
        assert report.intact, [str(b) for b in report.breaks]
        seqs = list(session.scalars(select(ChainLink.seq).where(ChainLink.chain == "audit").order_by(ChainLink.seq)))
    assert seqs == list(range(1, workers * per_worker + 1))


def test_a_key_folder_that_cannot_be_written_is_named_in_russian(tmp_path, monkeypatch):
    from engine.integrity.keys import SigningKeyError

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(blocked / "signing"))
    with pytest.raises(SigningKeyError, match="не удалось создать ключ подписи") as refused:
        chain_key()
    assert refused.value.where == str(blocked / "signing")
