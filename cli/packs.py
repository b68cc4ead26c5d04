"""``nastavnik packs check|deploy|list|bind``: regulation packs (rules/<pack>/) for installations that keep them
in git — check folders, deploy a folder as the pack's new version, see the versions, bind an organization."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.errors import NastavnikError


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    packs = groups.add_parser("packs", help="положения (пакеты rules/<пакет>/): проверка, развёртывание, привязка")
    commands = packs.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="проверить папки положений (по умолчанию каждую папку rules/)")
    check.add_argument("folders", nargs="*", help="папка положения (с pack.yaml) или папка с такими папками")
    check.set_defaults(handler=run_check)

    deploy = commands.add_parser("deploy", help="развернуть папку положения как его новую версию (DATABASE_URL)")
    deploy.add_argument("folder", help="папка положения; её имя — id положения")
    deploy.set_defaults(handler=run_deploy)

    listing = commands.add_parser("list", help="положения в базе и их версии")
    listing.set_defaults(handler=run_list)

    bind = commands.add_parser("bind", help="привязать организацию к положению")
    bind.add_argument("organization_id", type=int, help="номер организации")
    bind.add_argument("pack_id", help="id положения, например tomsk")
    bind.set_defaults(handler=run_bind)


def run_check(args: argparse.Namespace) -> int:
    from engine.regulations import PACKS_DIRECTORY
    from engine.services.methodology.pack_import import check_folders

    folders = [Path(f) for f in args.folders] or [PACKS_DIRECTORY]
    missing = [f for f in folders if not f.exists()]
    if missing:
        raise NastavnikError(f"нет такой папки: {missing[0]}")
    problems = check_folders(folders)
    for line in problems:
        print(line)
    if problems:
        print(f"найдено проблем: {len(problems)}", file=sys.stderr)
        return 1
    print("положения в порядке")
    return 0


def run_deploy(args: argparse.Namespace) -> int:
    from cli.context import session_scope
    from engine.regulations import PackError
    from engine.services.methodology.pack_import import folders_of, import_folder
    from engine.services.people.actor import SYSTEM

    folder = Path(args.folder)
    if not folder.is_dir():
        raise NastavnikError(f"нет такой папки: {folder}")
    if folders_of([folder]) != [folder]:
        raise NastavnikError(f"{folder}: разворачивается одна папка положения (с pack.yaml)")
    with session_scope() as session:
        try:
            imported = import_folder(session, SYSTEM, folder)
        except PackError as error:
            session.rollback()
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print(f"найдено проблем: {len(error.problems)}; ничего не изменено", file=sys.stderr)
            return 1
        session.commit()
    for name in imported.rule_files:
        print(f"файл правил {name}: развёрнута новая версия")
    if imported.version is None:
        print(f"положение {imported.pack_id}: действующая версия уже содержит эти файлы")
    else:
        print(f"положение {imported.pack_id}: развёрнута версия {imported.version.version} "
              f"(sha256 {imported.version.digest})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from cli.context import session_scope
    from engine.services.methodology.regulation_packs import list_packs
    from engine.services.people.actor import SYSTEM

    with session_scope() as session:
        infos = list_packs(session, SYSTEM)
        session.commit()
        for info in infos:
            deployed = info.deployed
            print(f"{info.pack_id}: {info.title}")
            print(f"  действует версия {deployed.version if deployed else '—'}; черновики: "
                  f"{', '.join(str(d.version) for d in info.drafts) or 'нет'}; "
                  f"организации: {', '.join(info.organizations) or 'нет'}")
    return 0


def run_bind(args: argparse.Namespace) -> int:
    from cli.context import session_scope
    from engine.services.methodology.pack_binding import bind_organization
    from engine.services.people.actor import SYSTEM

    with session_scope() as session:
        organization = bind_organization(session, SYSTEM, args.organization_id, args.pack_id)
        session.commit()
        print(f"{organization.short_name or organization.name}: положение {organization.regulation}")
    return 0
