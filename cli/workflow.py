"""``nastavnik workflow check|deploy``, ``nastavnik task list|complete``, ``nastavnik timers fire`` (the pass of
``nastavnik jobs run-due``: cli.jobs)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.context import session_scope as _session
from engine.errors import NastavnikError


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    workflow = groups.add_parser("workflow", help="описания процессов (BPMN): проверка и загрузка")
    commands = workflow.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="проверить BPMN-файлы")
    check.add_argument("files", nargs="+", help="BPMN-файлы")
    check.set_defaults(handler=run_check)
    deploy = commands.add_parser("deploy", help="загрузить BPMN-файл в базу (новая версия процесса)")
    deploy.add_argument("file", help="BPMN-файл")
    deploy.set_defaults(handler=run_deploy)

    task = groups.add_parser("task", help="задачи процессов")
    commands = task.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="открытые задачи пользователя")
    listing.add_argument("--as", dest="login", required=True, help="логин пользователя")
    listing.add_argument("--json", action="store_true", help="вывести JSON")
    listing.set_defaults(handler=run_task_list)
    complete = commands.add_parser("complete", help="выполнить задачу")
    complete.add_argument("instance_id", type=int, help="номер процесса")
    complete.add_argument("task_id", help="идентификатор задачи")
    complete.add_argument("--as", dest="login", required=True, help="логин пользователя")
    complete.add_argument("--data", default="{}", help="данные формы: JSON или @файл")
    complete.add_argument("--expected-version", type=int, help="версия процесса, которую видел пользователь")
    complete.set_defaults(handler=run_task_complete)

    timers = groups.add_parser("timers", help="таймеры процессов")
    commands = timers.add_subparsers(dest="command", required=True)
    fire = commands.add_parser("fire", help="сработать таймеры, срок которых наступил")
    fire.add_argument("--now", help="момент времени ISO 8601 (по умолчанию сейчас)")
    fire.set_defaults(handler=run_timers_fire)


def _problem_line(display: str, problem) -> str:
    where = ""
    if problem.element_id:
        where = problem.element_id + (f" «{problem.element_name}»" if problem.element_name else "") + ": "
    return f"{display}: {where}{problem.message}"


def run_check(args: argparse.Namespace) -> int:
    from engine.bootstrap import bootstrap
    from engine.services.process import definitions

    domain = bootstrap()
    missing = problems = 0
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as error:
            print(f"nastavnik: {name}: не удалось прочитать файл: {error.strerror}", file=sys.stderr)
            missing += 1
            continue
        found = definitions.check(data, path.name, domain=domain)
        for problem in found:
            print(_problem_line(name, problem))
        problems += len(found)
        if not found:
            print(f"{name}: в порядке")
    if problems:
        print(f"найдено проблем: {problems}", file=sys.stderr)
    return 2 if missing else (1 if problems else 0)


def run_deploy(args: argparse.Namespace) -> int:
    from engine.services.people.actor import SYSTEM
    from engine.services.process.definitions import deploy

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NastavnikError(f"{args.file}: не удалось прочитать файл: {error.strerror}") from None
    with _session() as session:
        try:
            definition = deploy(session, SYSTEM, data, path.name, source_path=args.file)
        except NastavnikError as error:
            for problem in getattr(error, "problems", []):
                print(_problem_line(args.file, problem), file=sys.stderr)
            if getattr(error, "problems", None):
                return 1
            raise
        session.commit()
        print(f"{definition.process_id} версия {definition.version} sha256 {definition.bpmn_sha256}")
    return 0


def _task_dict(task) -> dict:
    return {"instance_id": task.instance_id, "task_id": task.task_id, "element_id": task.element_id,
            "name": task.name, "role": task.role, "organization_id": task.organization_id,
            "assignee_id": task.assignee_id, "form": task.form_id,
            "due_at": task.due_at.isoformat() if task.due_at else None,
            "created_at": task.created_at.isoformat() if task.created_at else None}


def run_task_list(args: argparse.Namespace) -> int:
    from engine.services.people.actor import load_actor
    from engine.services.process.instances import list_tasks

    with _session() as session:
        tasks = [_task_dict(t) for t in list_tasks(session, load_actor(session, args.login))]
    if args.json:
        print(json.dumps(tasks, ensure_ascii=False, indent=2))
        return 0
    if not tasks:
        print("открытых задач нет")
    for t in tasks:
        print(f"{t['instance_id']}\t{t['task_id']}\t{t['role']}\t{t['form'] or '-'}\t{t['name']}")
    return 0


def _read_data(value: str) -> dict:
    source = "--data"
    if value.startswith("@"):
        source = value[1:]
        try:
            value = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise NastavnikError(f"не удалось прочитать {source}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise NastavnikError(f"{source}: файл не в кодировке UTF-8") from None
    try:
        data = json.loads(value)
    except json.JSONDecodeError as error:
        raise NastavnikError(f"{source}: неверный JSON: строка {error.lineno}, столбец {error.colno}: "
                             f"{error.msg}") from None
    if not isinstance(data, dict):
        raise NastavnikError(f"{source}: данные формы должны быть объектом JSON")
    return data


def run_task_complete(args: argparse.Namespace) -> int:
    from engine.services.people.actor import load_actor
    from engine.services.tasks.completion import complete_step

    data = _read_data(args.data)
    with _session() as session:
        actor = load_actor(session, args.login)
        instance = complete_step(session, actor, args.instance_id, args.task_id, data,
                                 expected_version=args.expected_version)
        session.commit()
        opened = [_task_dict(t) for t in instance.open_tasks]
        print(json.dumps({"instance_id": instance.id, "version": instance.version, "status": instance.status,
                          "open_tasks": opened}, ensure_ascii=False, indent=2))
    return 0


def run_timers_fire(args: argparse.Namespace) -> int:
    """The pass of ``nastavnik jobs run-due`` (the due timers become jobs and run here, each once)."""
    from cli.jobs import parse_now, run_due

    outcomes, timers = run_due(parse_now(args.now))
    print(f"таймеры сработали в процессах: {timers}")
    if outcomes["retry"] or outcomes["incident"]:
        print(f"не выполнено (будет повторено или стало инцидентом): {outcomes['retry'] + outcomes['incident']}",
              file=sys.stderr)
        return 1
    return 0
