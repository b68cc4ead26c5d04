"""``nastavnik config check``: the settings as they take effect (secrets masked) and their problems (exit 1)."""
from __future__ import annotations

import argparse

from engine import resources, settings

EXIT_PROBLEMS = 1


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    config = groups.add_parser("config", help="настройки: проверить и показать действующие")
    commands = config.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="показать действующие настройки (секреты скрыты) и их ошибки",
                                description="Действующие настройки (окружение, затем файл NASTAVNIK_CONFIG, затем "
                                            "значения по умолчанию), секреты скрыты; код выхода 1 при ошибке.")
    check.set_defaults(handler=run_check, checks_settings_itself=True)


def run_check(args: argparse.Namespace) -> int:
    rows = settings.effective()
    width = max(len(row.name) for row in rows)
    for row in rows:
        print(f"{row.name:<{width}}  {row.shown}  ({row.source})")
    print(f"{'папка данных':<{width}}  {settings.instance_directory()}")
    print(f"{'файлы продукта':<{width}}  {resources.DATA_ROOT}"
          f" ({'установленный пакет' if resources.installed() else 'копия репозитория'})")
    found = settings.problems()
    if not found:
        print("ошибок в настройках нет")
        return 0
    print("ошибки в настройках:")
    for problem in found:
        print(f"  {problem}")
    return EXIT_PROBLEMS
