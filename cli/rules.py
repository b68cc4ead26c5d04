"""``nastavnik rules check|eval``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.errors import NastavnikError
from engine.rules import RULES_DIRECTORY, check_paths, default_registry


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    rules = groups.add_parser("rules", help="файлы правил: проверка и вычисление решений")
    commands = rules.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="проверить файлы правил (по умолчанию каталог rules/)")
    check.add_argument("paths", nargs="*", help="файлы или каталоги")
    check.set_defaults(handler=run_check)

    evaluate = commands.add_parser("eval", help="вычислить решение по фактам из JSON")
    evaluate.add_argument("ruleset", help="id набора правил, например mentor_eligibility_tomsk")
    evaluate.add_argument("--facts", required=True, help="JSON-файл с фактами (объект или список объектов), - для stdin")
    evaluate.add_argument("--deployed", action="store_true",
                          help="версии, развёрнутые в базе (DATABASE_URL), а не файлы каталога rules/")
    evaluate.add_argument("--lenient", action="store_true",
                          help="неверные типы и неизвестные факты считать отсутствующими данными, а не ошибкой")
    evaluate.set_defaults(handler=run_eval)


def run_check(args: argparse.Namespace) -> int:
    paths = args.paths or [RULES_DIRECTORY]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise NastavnikError(f"нет такого файла или каталога: {missing[0]}")
    problems = check_paths(paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"найдено проблем: {len(problems)}", file=sys.stderr)
        return 1
    print("файлы правил в порядке")
    return 0


def _read_facts(source: str) -> object:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise NastavnikError(f"не удалось прочитать {source}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise NastavnikError(f"{source}: файл не в кодировке UTF-8") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NastavnikError(f"{source}: неверный JSON: строка {error.lineno}, столбец {error.colno}: {error.msg}") from error


def run_eval(args: argparse.Namespace) -> int:
    registry = default_registry()
    if args.deployed:
        from cli.context import session_scope
        from engine.services.methodology import rule_deployment

        with session_scope() as session:
            rule_deployment.activate_deployed(session, registry)
    registry.get(args.ruleset)  # unknown ruleset: one clear line before reading facts
    facts = _read_facts(args.facts)
    if isinstance(facts, list):
        decisions = []
        for index, item in enumerate(facts):
            try:
                decisions.append(registry.decide(args.ruleset, item, strict=not args.lenient))
            except NastavnikError as error:
                raise NastavnikError(f"набор фактов №{index + 1}: {error}") from error
        result: object = decisions
    else:
        result = registry.decide(args.ruleset, facts, strict=not args.lenient)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0
