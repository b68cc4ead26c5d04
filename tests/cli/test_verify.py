"""``nastavnik verify`` (issue 11, finding 4): exit 0 with what it checked when the journals and the signed orders
are intact; exit 1 naming the first broken link — the table, the entry or order number, what is wrong — after
each tampering the audit tried (replace, re-hash, delete, truncate), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from cli import main
from engine.db import make_session_factory
from tests.tampering import attacker, forged_order, replace_row, row, signed_order_world


@pytest.fixture
def world(db_url, db_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    with make_session_factory(db_engine)() as session:
        return signed_order_world(session)


def _verify(capsys) -> tuple[int, list[str]]:
    code = main(["verify"])
    return code, capsys.readouterr().out.splitlines()


def test_intact_database_exits_0_saying_what_was_checked(world, capsys):
    code, out = _verify(capsys)
    assert code == 0
    assert out[0].startswith("проверено: журнал действий (таблица audit_entries): ")
    assert "подписанные приказы (таблица orders): 1 звено" in out[0]
    assert "журнал доступа к персональным данным (таблица access_log): 1 звено" in out[0]
    assert out[-1] == "цепочки и подписи целы: нарушений нет"


def test_a_replaced_order_exits_1_naming_its_number(world, db_url, capsys):
    with attacker(db_url, triggers_off=db_url.startswith("postgresql")) as connection:
        replace_row(connection, "orders", forged_order(row(connection, "orders", world["order"]), "Подменённый текст"))
    code, out = _verify(capsys)
    assert code == 1
    assert any(line.startswith("НАРУШЕНА ЦЕЛОСТНОСТЬ: ") for line in out)
    first = next(line for line in out if line.startswith("первое нарушенное звено: "))
    assert first == (f"первое нарушенное звено: подписанные приказы (таблица orders), приказ № {world['number']} "
                     f"(запись № {world['order']}): запись изменена после того, как вошла в цепочку (звено № 1)")


def test_a_re_hashed_link_exits_1(world, db_url, capsys):
    with attacker(db_url, triggers_off=True) as connection:
        connection.execute(text("UPDATE chain_links SET seal = :s WHERE chain = 'access' AND seq = 1"), {"s": "0" * 64})
    code, out = _verify(capsys)
    assert code == 1
    assert ("первое нарушенное звено: журнал доступа к персональным данным (таблица access_log), запись № 1: печать (HMAC) "
            "звена № 1 не сходится") in "\n".join(out)


def test_a_deleted_entry_exits_1_naming_its_id(world, db_url, capsys):
    with attacker(db_url, triggers_off=True) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    code, out = _verify(capsys)
    assert code == 1
    assert ("первое нарушенное звено: журнал действий (таблица audit_entries), запись № 2: запись удалена (звено № 2)"
            in out)


def test_truncated_journals_exit_1(world, db_url, capsys):
    postgres = db_url.startswith("postgresql")
    with attacker(db_url, triggers_off=True) as connection:
        for statement in (["TRUNCATE audit_entries, access_log"] if postgres
                          else ["DELETE FROM audit_entries", "DELETE FROM access_log"]):
            connection.execute(text(statement))
    code, out = _verify(capsys)
    assert code == 1
    assert ("первое нарушенное звено: журнал действий (таблица audit_entries), запись № 1: запись удалена (звено № 1)"
            in out)
    assert any("нарушени" in line for line in out if line.startswith("НАРУШЕНА ЦЕЛОСТНОСТЬ"))


def test_a_database_without_the_tables_exits_2_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    assert main(["verify", "--url", f"sqlite:///{tmp_path / 'empty.sqlite3'}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nastavnik: база данных недоступна или не обновлена") and "\n" not in err


def test_anonymizing_the_mentor_named_in_the_signed_order_leaves_every_chain_intact(world, db_engine, capsys):
    """152-ФЗ anonymization (issue 12 part 7): the person's row changes, the signed order and the journals do not."""
    from engine.db.models import Order, Person

    with make_session_factory(db_engine)() as session:
        login = session.get(Person, world["mentor"]).login
    assert main(["person", "deactivate", login]) == 0
    assert main(["person", "anonymize", login, "--reason", "заявление от 01.12.2026"]) == 0
    capsys.readouterr()
    code, out = _verify(capsys)
    assert code == 0, out
    assert out[-1] == "цепочки и подписи целы: нарушений нет"
    with make_session_factory(db_engine)() as session:
        assert session.get(Person, world["mentor"]).full_name.startswith("Обезличенный участник №")
        assert "Петров" in session.get(Order, world["order"]).body
