"""``nastavnik program list|show`` and ``nastavnik demo``."""
from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from cli.context import session_scope
from engine.errors import NastavnikError


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    program = groups.add_parser("program", help="программы наставничества")
    commands = program.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="программы, доступные пользователю")
    listing.add_argument("--as", dest="login", required=True, help="логин пользователя")
    listing.add_argument("--json", action="store_true", help="вывести JSON")
    listing.set_defaults(handler=run_list)
    show = commands.add_parser("show", help="программа целиком: дорожная карта, отчёты, решения, приказы")
    show.add_argument("program_id", type=int)
    show.add_argument("--as", dest="login", required=True, help="логин пользователя")
    show.add_argument("--json", action="store_true", help="вывести JSON")
    show.set_defaults(handler=run_show)

    demo = groups.add_parser("demo", help="демонстрация: департамент, школы, люди и четыре программы от "
                                          "формирования пар до завершения")
    demo.add_argument("--reset", action="store_true", help="пересоздать базу SQLite по умолчанию перед демонстрацией")
    demo.add_argument("--quiet", action="store_true", help="не печатать шаги")
    demo.set_defaults(handler=run_demo)


def run_list(args: argparse.Namespace) -> int:
    from engine.services.mentorship.program_listing import list_programs
    from engine.services.people.actor import load_actor

    with session_scope() as session:
        rows = list_programs(session, load_actor(session, args.login))
        session.commit()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("программ нет")
    for row in rows if not args.json else []:
        print(f"{row['id']}\t{row['status']}\t{row['roadmap_id']}\t{row['current_stage_id']}\t"
              f"{row['mentor']} — {', '.join(row['mentees'])}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from engine.services.mentorship.program_listing import program_details
    from engine.services.people.actor import load_actor

    with session_scope() as session:
        details = program_details(session, load_actor(session, args.login), args.program_id)
        session.commit()  # the access log entry
    if args.json:
        print(json.dumps(details, ensure_ascii=False, indent=2))
        return 0
    print(f"Программа №{details['id']}: {details['mentor']} — {', '.join(details['mentees'])}")
    print(f"  дорожная карта {details['roadmap_id']}, статус {details['status']}, этап {details['current_stage_id']}, "
          f"{details['started_on']} — {details['planned_end_on']}")
    for event in details["events"]:
        print(f"  {event['number']:>5} [{event['status']}] до {event['due_on']}: {event['name']}")
    for report in details["reports"]:
        print(f"  отчёт «{report['stage_id']}» №{report['attempt']}: {report['status']}"
              + (f" — {report['review_comment']}" if report["review_comment"] else ""))
    for decision in details["decisions"]:
        print(f"  решение {decision['ruleset']} v{decision['version']}: {decision['verdict_label']}")
    for order in details["orders"]:
        print(f"  приказ {order['number'] or 'б/н'} «{order['subject']}»: {order['status']}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from engine.db.base import database_url, default_database_url, resolve_url
    from engine.db.migrate import upgrade
    from engine.db.models import Person
    from engine.demo.story import Demo, demo_start
    from engine.demo.world import DEMO_PASSWORD, PEOPLE

    url = database_url()
    if args.reset:
        if url != resolve_url(default_database_url()):
            raise NastavnikError("--reset пересоздаёт только базу SQLite по умолчанию; другую базу очистите сами")
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    upgrade(url)
    with session_scope(url) as session:
        if session.query(Person).first() is not None:
            raise NastavnikError("в базе уже есть данные; «nastavnik demo --reset» пересоздаст базу SQLite по умолчанию")
        demo = Demo(session, say=(lambda line: None) if args.quiet else print,
                    start=demo_start(datetime.now(UTC)))
        demo.run()
        demo.leave_work_in_progress()
    print("\nВход в веб-интерфейс (пароль у всех: " + DEMO_PASSWORD + "):")
    for login, full_name, position, _, _roles, _ in PEOPLE:
        print(f"  {login:<14} {full_name} — {position}")
    return 0
