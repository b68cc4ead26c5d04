"""``nastavnik person end-sessions|password|deactivate LOGIN``: the administrator's side of accounts — every
one of them ends the person's web sessions in every browser (``accounts.end_sessions``); ``person export LOGIN``
and ``person anonymize LOGIN --reason …``: a personal data request (152-ФЗ), as the system."""
from __future__ import annotations

import argparse
import sys

from cli.context import session_scope
from engine.errors import NastavnikError


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    person = groups.add_parser("person", help="учётные записи: завершить сеансы, сменить пароль, отключить")
    commands = person.add_subparsers(dest="command", required=True)
    end = commands.add_parser("end-sessions", help="завершить все сеансы пользователя во всех браузерах")
    end.add_argument("login", help="логин пользователя")
    end.set_defaults(handler=run_end_sessions)
    password = commands.add_parser("password", help="задать пароль (первая строка стандартного ввода); "
                                                    "сеансы пользователя завершаются")
    password.add_argument("login", help="логин пользователя")
    password.set_defaults(handler=run_password)
    deactivate = commands.add_parser("deactivate", help="отключить пользователя: вход, сеансы и токены API "
                                                        "перестают действовать")
    deactivate.add_argument("login", help="логин пользователя")
    deactivate.set_defaults(handler=run_deactivate)
    export = commands.add_parser("export", help="всё, что хранится о человеке (152-ФЗ, ст. 14), в JSON; "
                                                "выгрузка записывается в журнал доступа")
    export.add_argument("login", help="логин пользователя")
    export.add_argument("--out", help="файл для выгрузки (по умолчанию — стандартный вывод)")
    export.set_defaults(handler=run_export)
    anonymize = commands.add_parser("anonymize", help="обезличить данные отключённого человека (необратимо); "
                                                      "подписанные приказы сохраняют текст")
    anonymize.add_argument("login", help="логин пользователя")
    anonymize.add_argument("--reason", required=True, help="основание, например «заявление от 01.12.2026»")
    anonymize.set_defaults(handler=run_anonymize)


def run_end_sessions(args: argparse.Namespace) -> int:
    from engine.services.people import accounts

    with session_scope() as session:
        person = accounts.person_by_login(session, args.login)
        accounts.end_sessions(session, person)
        session.commit()
        print(f"Сеансы {person.full_name} ({person.login}) завершены во всех браузерах.")
    return 0


def run_password(args: argparse.Namespace) -> int:
    from engine.services.people import accounts

    new_password = sys.stdin.readline().rstrip("\r\n")
    if len(new_password) < 8:
        raise NastavnikError("пароль: не короче 8 символов (первая строка стандартного ввода)")
    with session_scope() as session:
        person = accounts.person_by_login(session, args.login)
        accounts.set_password(person, new_password)
        session.commit()
        print(f"Пароль {person.full_name} ({person.login}) изменён; прежние сеансы завершены.")
    return 0


def run_deactivate(args: argparse.Namespace) -> int:
    from engine.services.people import accounts

    with session_scope() as session:
        person = accounts.person_by_login(session, args.login)
        accounts.deactivate(session, person)
        session.commit()
        print(f"{person.full_name} ({person.login}) отключён(а): вход, сеансы и токены API больше не действуют.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from engine.services.administration.personal_data import export_person
    from engine.services.people import accounts
    from engine.services.people.actor import SYSTEM

    with session_scope() as session:
        person = accounts.person_by_login(session, args.login)
        text = export_person(session, SYSTEM, person.id).json_text()
        session.commit()
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Выгрузка персональных данных ({args.login}) записана в {args.out}.")
    else:
        print(text)
    return 0


def run_anonymize(args: argparse.Namespace) -> int:
    from engine.services.administration.anonymization import anonymize_person
    from engine.services.people import accounts
    from engine.services.people.actor import SYSTEM

    with session_scope() as session:
        person = accounts.person_by_login(session, args.login)
        anonymize_person(session, SYSTEM, person.id, args.reason)
        session.commit()
        print(f"Данные обезличены: теперь «{person.full_name}», логин {person.login}. Подписанные приказы "
              "сохранили свой текст; проверьте журналы командой nastavnik verify.")
    return 0
