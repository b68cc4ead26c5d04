"""``nastavnik token issue|list|revoke``: API tokens for other school systems (``/api/v1``)."""
from __future__ import annotations

import argparse
import json
from datetime import timedelta

from cli.context import session_scope
from engine.errors import NastavnikError

DEFAULT_DAYS = 365


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    token = groups.add_parser("token", help="токены API (/api/v1) для других систем")
    commands = token.add_subparsers(dest="command", required=True)
    issue = commands.add_parser("issue", help="выпустить токен пользователю (показывается один раз)")
    issue.add_argument("login", help="логин пользователя, от имени которого будет работать система")
    issue.add_argument("--name", required=True, help="для чего токен, например «Электронный журнал школы № 8»")
    issue.add_argument("--days", type=int, default=DEFAULT_DAYS,
                       help=f"срок действия в днях (по умолчанию {DEFAULT_DAYS})")
    issue.set_defaults(handler=run_issue)
    listing = commands.add_parser("list", help="токены пользователя (без секретов)")
    listing.add_argument("login", help="логин пользователя")
    listing.add_argument("--json", action="store_true", help="вывести JSON")
    listing.set_defaults(handler=run_list)
    revoke = commands.add_parser("revoke", help="отозвать токен")
    revoke.add_argument("token_id", type=int, help="номер токена (из «token list»)")
    revoke.set_defaults(handler=run_revoke)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def run_issue(args: argparse.Namespace) -> int:
    from engine.services.people import api_tokens
    from engine.services.people.actor import SYSTEM, load_actor

    if args.days < 1:
        raise NastavnikError("--days: срок действия — хотя бы 1 день")
    with session_scope() as session:
        person = load_actor(session, args.login)
        issued = api_tokens.issue(session, SYSTEM, person.person_id, args.name, timedelta(days=args.days))
        session.commit()
        record = issued.record
        print(f"Токен №{record.id} для {person.full_name} ({person.login}) «{record.name}», "
              f"действует до {record.expires_at:%Y-%m-%d %H:%M} UTC.")
    print("Сохраните его сейчас — больше он показан не будет:")
    print(issued.token)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from engine.services.people import api_tokens
    from engine.services.people.actor import SYSTEM, load_actor

    with session_scope() as session:
        person = load_actor(session, args.login)
        rows = [{"id": t.id, "prefix": t.prefix, "name": t.name, "created_at": _iso(t.created_at),
                 "expires_at": _iso(t.expires_at), "last_used_at": _iso(t.last_used_at),
                 "revoked_at": _iso(t.revoked_at), "active": api_tokens.is_active(t)}
                for t in api_tokens.list_tokens(session, SYSTEM, person.person_id)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"у {args.login} нет токенов API")
    for row in rows:
        state = "действует" if row["active"] else ("отозван" if row["revoked_at"] else "истёк")
        print(f"{row['id']}\t{row['prefix']}…\t{state}\tдо {row['expires_at'] or 'бессрочно'}\t"
              f"использован {row['last_used_at'] or 'ни разу'}\t{row['name']}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from engine.services.people import api_tokens
    from engine.services.people.actor import SYSTEM

    with session_scope() as session:
        record = api_tokens.revoke(session, SYSTEM, args.token_id)
        session.commit()
        print(f"Токен №{record.id} ({record.prefix}…) «{record.name}» отозван.")
    return 0
