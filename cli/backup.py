"""``nastavnik backup <file>`` / ``nastavnik restore <file>``: the whole installation's data in one archive and
back (engine.backup says what the archive holds; docs/upgrade.md when to make one)."""
from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from engine.db import database_url

EXIT_OK, EXIT_DIFFERENT = 0, 1


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    backup = groups.add_parser("backup", help="резервная копия: база данных (с вложениями) в один архив")
    backup.add_argument("file", type=Path, help="файл архива, например nastavnik-2026-05-01.tar.gz")
    backup.add_argument("--url", help="адрес базы данных (по умолчанию DATABASE_URL или встроенный SQLite)")
    backup.add_argument("--with-keys", action="store_true",
                        help="положить в архив и ключи подписи (NASTAVNIK_SIGNING_DIR); храните такой архив как ключи")
    backup.set_defaults(handler=run_backup)
    restore = groups.add_parser("restore", help="восстановить базу данных из резервной копии")
    restore.add_argument("file", type=Path, help="файл архива, сделанный «nastavnik backup»")
    restore.add_argument("--url", help="адрес базы данных (по умолчанию DATABASE_URL или встроенный SQLite)")
    restore.add_argument("--force", action="store_true",
                         help="заменить данные, которые уже есть в базе (и ключи подписи, если они в архиве)")
    restore.set_defaults(handler=run_restore)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _counts(counts: dict[str, int]) -> str:
    from engine.backup.run import COUNTED

    return ", ".join(f"{COUNTED.get(name, name)}: {value}" for name, value in counts.items())


def run_backup(args: argparse.Namespace) -> int:
    from engine.backup import make_backup

    url = args.url or database_url()
    result = make_backup(url, args.file, with_keys=args.with_keys)
    manifest = result.manifest
    print(f"резервная копия записана: {result.path} ({result.path.stat().st_size} байт)")
    print(f"база {_shown(url)}, схема {manifest.alembic_revision}, версия программы {manifest.app_version}")
    print(f"в копии: {_counts(manifest.counts)}")
    if manifest.keys_included:
        print("ключи подписи в архиве: храните его так же надёжно, как сами ключи")
    else:
        print("ключи подписи не в архиве: сохраните папку ключей отдельно (без неё подписи не проверить)")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from engine.backup import restore_backup

    url = args.url or database_url()
    result = restore_backup(url, args.file, force=args.force)
    manifest = result.manifest
    print(f"восстановлено в {_shown(url)} из копии от {manifest.created_at} (версия программы {manifest.app_version})")
    if result.upgraded:
        print(f"схема базы обновлена: {manifest.alembic_revision} → {result.revision_after}")
    print(f"в базе: {_counts(result.counts)}")
    for warning in result.warnings:
        print(f"внимание: {warning}")
    if not result.same_contents:
        print(f"ВОССТАНОВЛЕНО НЕ ТО, ЧТО В КОПИИ: ожидалось {_counts(manifest.counts)}"
              + ("" if result.attachments_digest == manifest.attachments_digest else "; вложения отличаются"))
        return EXIT_DIFFERENT
    print("всё, что было в копии, на месте; проверьте подписи: nastavnik verify")
    return EXIT_OK
