"""``nastavnik verify``: are the audit trail, the access log and the signed orders as they were written?

Checks every chain link by link and every signed order (its text's SHA-256, its CMS signature, its link) with
the server's key material (``engine.integrity.keys``) and prints, in Russian, what was checked and every broken
link, the first one first (which table, which entry or order number, what is wrong). Exit 0 when everything is
intact, 1 on any break (2: bad arguments or an unreadable database, as every command).
"""
from __future__ import annotations

import argparse

from engine.vocabulary import counted

EXIT_INTACT, EXIT_BROKEN = 0, 1
SHOWN_BREAKS = 50


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    verify = groups.add_parser("verify", help="проверить цепочки журналов и подписи приказов; код 1 при нарушении")
    verify.add_argument("--url", help="адрес базы данных (по умолчанию DATABASE_URL или встроенный SQLite)")
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from cli.context import session_scope
    from engine.services.audit.integrity import verify_all

    with session_scope(args.url) as session:
        report = verify_all(session)
        session.rollback()
    print(f"проверено: {report.summary()}")
    print(f"ключ цепочки {report.key_id}; сертификат подписи {report.certificate}")
    for chain in report.chains:
        for note in chain.notes:
            print(f"примечание: {chain.label}, {note}")
    if report.intact:
        print("цепочки и подписи целы: нарушений нет")
        return EXIT_INTACT
    breaks = report.breaks
    print(f"НАРУШЕНА ЦЕЛОСТНОСТЬ: {counted(len(breaks), 'нарушение', 'нарушения', 'нарушений')}")
    print(f"первое нарушенное звено: {breaks[0].with_table()}")
    for found in breaks[1:SHOWN_BREAKS]:
        print(f"  {found.with_table()}")
    if len(breaks) > SHOWN_BREAKS:
        print(f"  … и ещё {len(breaks) - SHOWN_BREAKS}")
    return EXIT_BROKEN
