"""``nastavnik backup`` / ``nastavnik restore`` (issue 17, item 6): the department's administrator backs the
installation up — programs, a signed order, a mentor's attached file — loses the database, and restores the archive
into an empty one: the same programs and orders, the order's signature still verifying, the file byte for byte;
on SQLite (the online backup API) and PostgreSQL (pg_dump/pg_restore, custom format)."""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from cli import main
from engine.db import make_engine, make_session_factory, migrate
from engine.db.models import Attachment, Order, Program
from engine.services.audit.integrity import verify_all, verify_order
from tests import factories as f
from tests.tampering import signed_order_world

EVIDENCE = bytes(range(256)) * 40 + "Отчёт наставника".encode()  # every byte value, not only text


@pytest.fixture
def keys(tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    monkeypatch.delenv("NASTAVNIK_SIGNING_KEY", raising=False)
    return tmp_path / "signing"


def _fill(url: str) -> dict:
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            world = signed_order_world(session)
            program = f.make_program(session)
            session.add(Attachment(organization_id=program.group.organization_id, program_id=program.id,
                                   file_name="отчёт.pdf", content_type="application/pdf", size_bytes=len(EVIDENCE),
                                   sha256=hashlib.sha256(EVIDENCE).hexdigest(), content=EVIDENCE))
            session.commit()
            return {**world, "program": program.id}
    finally:
        engine.dispose()


def _drop(url: str) -> None:
    """The server is lost: the SQLite file gone, the PostgreSQL schema dropped."""
    engine = make_engine(url)
    try:
        if url.startswith("sqlite"):
            engine.dispose()
            path = url[len("sqlite:///"):]
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
        else:
            with engine.begin() as connection:
                schema = connection.execute(text("SELECT current_schema()")).scalar_one()
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        engine.dispose()


def test_backup_drop_restore_gives_back_programs_signed_orders_and_files(db_url, keys, tmp_path, capsys):
    world = _fill(db_url)
    archive = tmp_path / "nastavnik.tar.gz"
    assert main(["backup", str(archive), "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert f"резервная копия записана: {archive}" in out
    assert "программ: 1, приказов: 1, вложений: 1, подписанных приказов: 1" in out
    assert "ключи подписи не в архиве" in out
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    assert names == ["manifest.json", "database.dump" if backend == "postgresql" else "database.sqlite3"]
    assert manifest["backend"] == backend and manifest["format_version"] == 1
    assert manifest["alembic_revision"] == migrate.head_revision()
    assert set(manifest["files"]) == {names[1]} and manifest["signing_keys"].keys() == {"chain.key", "organization.pem"}
    assert archive.stat().st_mode & 0o777 == 0o600

    _drop(db_url)
    assert main(["restore", str(archive), "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert "всё, что было в копии, на месте" in out and "схема базы обновлена" not in out

    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            assert [p.id for p in session.scalars(select(Program))] == [world["program"]]
            order = session.get(Order, world["order"])
            assert order.number == world["number"] and order.status == "signed"
            assert verify_order(session, order).verified
            report = verify_all(session)
            assert report.intact, [str(b) for b in report.breaks]
            attachment = session.scalars(select(Attachment)).one()
            assert attachment.content == EVIDENCE and attachment.file_name == "отчёт.pdf"
    finally:
        engine.dispose()
    assert migrate.current_revision(db_url) == migrate.head_revision()


def test_restore_refuses_a_database_with_data_unless_forced(db_url, keys, tmp_path, capsys):
    _fill(db_url)
    archive = tmp_path / "copy.tar.gz"
    assert main(["backup", str(archive), "--url", db_url]) == 0
    capsys.readouterr()
    assert main(["restore", str(archive), "--url", db_url]) == 2
    error = capsys.readouterr().err
    assert "в базе уже есть данные" in error and "--force" in error
    assert main(["restore", str(archive), "--url", db_url, "--force"]) == 0
    assert "всё, что было в копии, на месте" in capsys.readouterr().out


def test_an_older_backup_is_restored_and_upgraded_to_the_current_schema(db_url, keys, tmp_path, capsys):
    previous = migrate.alembic_config()
    from alembic.script import ScriptDirectory

    older = ScriptDirectory.from_config(previous).get_revision(migrate.head_revision()).down_revision
    migrate.upgrade(db_url, older)
    archive = tmp_path / "old.tar.gz"
    assert main(["backup", str(archive), "--url", db_url]) == 0
    _drop(db_url)
    capsys.readouterr()
    assert main(["restore", str(archive), "--url", db_url]) == 0
    assert f"схема базы обновлена: {older} → {migrate.head_revision()}" in capsys.readouterr().out
    assert migrate.schema_differences(db_url) == []


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_keys_travel_only_when_asked_and_never_overwrite_other_keys_silently(db_url, keys, tmp_path, capsys):
    _fill(db_url)
    archive = tmp_path / "with-keys.tar.gz"
    assert main(["backup", str(archive), "--url", db_url, "--with-keys"]) == 0
    with tarfile.open(archive) as tar:
        assert set(tar.getnames()) == {"manifest.json", "database.sqlite3", "signing/chain.key",
                                       "signing/organization.pem"}
    original = (keys / "chain.key").read_bytes()
    (keys / "chain.key").write_text("ab" * 32)  # the new server made keys of its own
    _drop(db_url)
    capsys.readouterr()
    assert main(["restore", str(archive), "--url", db_url]) == 2
    assert "уже другие ключи (chain.key)" in capsys.readouterr().err
    assert main(["restore", str(archive), "--url", db_url, "--force"]) == 0
    assert (keys / "chain.key").read_bytes() == original
    assert main(["verify", "--url", db_url]) == 0


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_restoring_without_the_backups_keys_warns_that_signatures_will_not_verify(db_url, keys, tmp_path, capsys):
    _fill(db_url)
    archive = tmp_path / "copy.tar.gz"
    assert main(["backup", str(archive), "--url", db_url]) == 0
    for key_file in keys.iterdir():
        key_file.unlink()
    _drop(db_url)
    capsys.readouterr()
    assert main(["restore", str(archive), "--url", db_url]) == 0
    assert "внимание: ключи подписи сервера" in capsys.readouterr().out


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_damaged_or_foreign_archive_is_refused_in_russian(db_url, keys, tmp_path, capsys):
    _fill(db_url)
    archive = tmp_path / "copy.tar.gz"
    assert main(["backup", str(archive), "--url", db_url]) == 0
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        database = tar.extractfile("database.sqlite3").read()
    target = tmp_path / "empty.sqlite3"

    def rewrite(name: str, manifest: dict, database: bytes) -> str:
        path = tmp_path / name
        with tarfile.open(path, "w:gz") as tar:
            for member, data in (("manifest.json", json.dumps(manifest).encode()), ("database.sqlite3", database)):
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return str(path)

    cases = [
        (rewrite("flipped.tar.gz", manifest, database[:-1] + b"x"), "файл database.sqlite3 повреждён"),
        (rewrite("newer.tar.gz", {**manifest, "alembic_revision": "9999_future"}, database),
         "схемой базы 9999_future, которой эта версия не знает"),
        (rewrite("format.tar.gz", {**manifest, "format_version": 2}, database), "формат резервной копии 2 новее"),
        (rewrite("foreign.tar.gz", {"format": "other"}, database), "это не резервная копия «Наставника»"),
    ]
    (tmp_path / "text.tar.gz").write_text("не архив")
    cases.append((str(tmp_path / "text.tar.gz"), "файл не читается как резервная копия"))
    cases.append((str(tmp_path / "missing.tar.gz"), "файла резервной копии нет"))
    for path, message in cases:
        assert main(["restore", path, "--url", f"sqlite:///{target}"]) == 2, path
        assert message in capsys.readouterr().err, path
    assert main(["restore", str(archive), "--url", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    assert "копия сделана с базы sqlite, а восстанавливается в postgresql" in capsys.readouterr().err


@pytest.mark.parametrize("db_backend", ["postgres"])
def test_postgresql_client_tools_missing_or_older_than_the_server_are_refused(db_url, keys, tmp_path, capsys,
                                                                             monkeypatch):
    from engine.backup import postgres

    migrate.upgrade(db_url)
    monkeypatch.setattr(postgres, "tool_major", lambda path: 9)
    assert main(["backup", str(tmp_path / "x.tar.gz"), "--url", db_url]) == 2
    error = capsys.readouterr().err
    assert "pg_dump версии 9 старше сервера PostgreSQL" in error and "postgresql-client-" in error
    monkeypatch.setattr(postgres.shutil, "which", lambda name: None)
    monkeypatch.setattr(postgres, "TOOL_DIRS", ())
    assert main(["backup", str(tmp_path / "x.tar.gz"), "--url", db_url]) == 2
    assert "не найдена программа pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "x.tar.gz").exists()
