"""``nastavnik person end-sessions|password|deactivate LOGIN``: the administrator's side of accounts — every
one of them ends the person's web sessions in every browser (``accounts.end_sessions``)."""
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
