"""``nastavnik init``: the first start of a real installation (no demo) — migrates the database, then on an EMPTY
database creates the root organization (a department with its regulation, or a single school) and its first
administrator (``engine.services.administration.first_start``). Values come from flags, a YAML file (``--from``)
or, on a terminal, from questions; the password from the first line of standard input or, on a terminal, asked
twice without echo. A database that already has organizations is refused (exit 2) and left as it was."""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

import yaml

from cli.context import session_scope
from engine.errors import NastavnikError, ProblemsError, yaml_message

ORGANIZATION_FLAGS = {"organization_name": "name", "short_name": "short_name", "kind": "kind",
                      "regulation": "regulation", "inn": "inn", "ogrn": "ogrn"}
ADMIN_FLAGS = {"admin_name": "full_name", "admin_login": "login", "admin_email": "email",
               "admin_position": "position"}
REQUIRED = {("organization", "name"): "--organization-name", ("organization", "kind"): "--kind",
            ("organization", "regulation"): "--regulation", ("administrator", "full_name"): "--admin-name",
            ("administrator", "login"): "--admin-login"}


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    init = groups.add_parser("init", help="первый запуск: головная организация и её первый администратор на пустой "
                                          "базе (пароль — первая строка стандартного ввода или вопрос)")
    init.add_argument("--from", dest="source", metavar="FILE", help="YAML: organization: {…}, administrator: {…}")
    init.add_argument("--organization-name", help="полное наименование организации")
    init.add_argument("--short-name", help="краткое наименование")
    init.add_argument("--kind", help="вид: department (управление, департамент), school (одна школа) или college (техникум, колледж)")
    init.add_argument("--regulation", help="положение (пакет под rules/): tomsk, yakutsk, school, college, vsosh, …")
    init.add_argument("--inn", help="ИНН (необязательно)")
    init.add_argument("--ogrn", help="ОГРН (необязательно)")
    init.add_argument("--admin-name", help="ФИО первого администратора")
    init.add_argument("--admin-login", help="логин администратора (латинские строчные буквы, цифры, «.», «_», «-»)")
    init.add_argument("--admin-email", help="электронная почта администратора (необязательно)")
    init.add_argument("--admin-position", help="должность администратора (необязательно)")
    init.add_argument("--url", help="адрес базы данных (по умолчанию DATABASE_URL или встроенный SQLite)")
    init.set_defaults(handler=run_init)


def read_source(path: str) -> dict[str, dict[str, Any]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise NastavnikError(f"файл не прочитан: {error.strerror}", where=path) from None
    except UnicodeDecodeError:
        raise NastavnikError("файл не в кодировке UTF-8", where=path) from None
    except yaml.YAMLError as error:
        raise NastavnikError(yaml_message(error), where=path) from None
    if not isinstance(data, dict) or set(data) - {"organization", "administrator"}:
        raise NastavnikError("ожидается YAML с разделами organization и administrator", where=path)
    found: dict[str, dict[str, Any]] = {}
    for part in ("organization", "administrator"):
        section = data.get(part) or {}
        if not isinstance(section, dict):
            raise NastavnikError(f"раздел {part}: ожидается словарь «поле: значение»", where=path)
        found[part] = {str(key): (str(value) if isinstance(value, (int, float)) else value)
                       for key, value in section.items()}
    return found


def _ask(question: str, choices: list[str] | None = None) -> str | None:
    hint = f" ({', '.join(choices)})" if choices else ""
    answer = input(f"{question}{hint}: ").strip()
    return answer or None


def _interactive(values: dict[str, dict[str, Any]]) -> None:
    from engine import regulations

    organization, administrator = values["organization"], values["administrator"]
    print("Первый запуск «Наставника»: головная организация и её первый администратор.")
    if not organization.get("name"):
        organization["name"] = _ask("Полное наименование организации")
    if not organization.get("short_name"):
        organization["short_name"] = _ask("Краткое наименование (Enter — пропустить)")
    if not organization.get("kind"):
        organization["kind"] = _ask("Вид организации", ["department", "school", "college"])
    if not organization.get("regulation"):
        organization["regulation"] = _ask("Положение о наставничестве", sorted(regulations.shipped_packs()))
    if not administrator.get("full_name"):
        administrator["full_name"] = _ask("ФИО администратора")
    if not administrator.get("login"):
        administrator["login"] = _ask("Логин администратора")
    if not administrator.get("email"):
        administrator["email"] = _ask("Электронная почта администратора (Enter — пропустить)")


def _password(terminal: bool) -> str:
    if not terminal:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Пароль администратора (не короче 8 символов): ")
    if getpass.getpass("Пароль ещё раз: ") != first:
        raise NastavnikError("пароли не совпадают")
    return first


def collect(args: argparse.Namespace, terminal: bool) -> dict[str, dict[str, Any]]:
    """The organization's and the administrator's values: the file, then the flags over it, then questions."""
    values = read_source(args.source) if args.source else {"organization": {}, "administrator": {}}
    for flags, part in ((ORGANIZATION_FLAGS, "organization"), (ADMIN_FLAGS, "administrator")):
        for flag, key in flags.items():
            if getattr(args, flag, None) is not None:
                values[part][key] = getattr(args, flag)
    if terminal:
        _interactive(values)
    missing = [flag for (part, key), flag in REQUIRED.items() if not values[part].get(key)]
    if missing:
        raise NastavnikError("не указано: " + ", ".join(missing) + " (или задайте их в файле --from)")
    for part in values.values():
        for key in [k for k, v in part.items() if v is None]:
            del part[key]
    return values


def run_init(args: argparse.Namespace) -> int:
    from engine.db import database_url
    from engine.db.migrate import upgrade
    from engine.services.administration import first_start
    from engine.services.administration.organizations import regulation_title

    terminal = sys.stdin.isatty()
    values = collect(args, terminal)
    password = first_start.check_password(_password(terminal))
    url = args.url or database_url()
    upgrade(url)
    with session_scope(url) as session:
        try:
            made = first_start.initialize(session, values["organization"], values["administrator"], password)
        except ProblemsError as refused:
            for problem in refused.problems:
                print(f"nastavnik: {refused.where or ''}: {problem}".replace(": : ", ": "), file=sys.stderr)
            return 2
        session.commit()
        organization, administrator = made.organization, made.administrator
        print(f"Организация «{organization.name}» создана (№ {organization.id}); положение: "
              f"{regulation_title(organization.regulation)}.")
        print(f"Первый администратор: {administrator.full_name}, логин «{administrator.login}».")
        print(f"Описания процессов (workflows/*.bpmn) загружены: {len(made.processes)}.")
    print("Запустите «nastavnik serve» и войдите по адресу http://127.0.0.1:5000/login с этим логином и паролем; "
          "в разделе «Администрирование» (/admin) создайте школы, людей (/admin/people), загрузите список "
          "сотрудников (/admin/import) и назначьте роли.")
    return 0
