"""The ``nastavnik`` command. Each subcommand group lives in its own module and registers itself."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli import backup as backup_commands
from cli import config as config_commands
from cli import db as db_commands
from cli import init as init_commands
from cli import jobs as job_commands
from cli import packs as pack_commands
from cli import people as person_commands
from cli import programs as program_commands
from cli import rules as rules_commands
from cli import serve as serve_commands
from cli import tokens as token_commands
from cli import verify as verify_commands
from cli import workflow as workflow_commands
from engine import settings
from engine.errors import NastavnikError

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 with usage; keep it one line, in Russian
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: ошибка в аргументах: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nastavnik", description="«Наставник»: программы наставничества")
    parser.add_argument("--version", action="version", version=f"«Наставник» {version()}",
                        help="показать версию и выйти")
    groups = parser.add_subparsers(dest="group", required=True, parser_class=_Parser)
    rules_commands.register(groups)
    pack_commands.register(groups)  # packs check|deploy|list|bind
    serve_commands.register(groups)
    db_commands.register(groups)
    init_commands.register(groups)  # init: the first organization and its administrator on an empty database
    workflow_commands.register(groups)  # workflow, task, timers
    program_commands.register(groups)  # program, demo
    token_commands.register(groups)  # token issue|list|revoke
    verify_commands.register(groups)  # verify: chains of the journals, signatures of the orders
    person_commands.register(groups)  # person end-sessions|password|deactivate
    job_commands.register(groups)  # worker, beat, jobs run-due: the background work
    backup_commands.register(groups)  # backup, restore: the database (with the attachments) in one archive
    config_commands.register(groups)  # config check: the settings in effect and their problems
    return parser


def version() -> str:
    """The installed distribution's version (``pyproject.toml``)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("nastavnik")
    except PackageNotFoundError:  # a checkout on PYTHONPATH, never installed
        return "неизвестна (не установлен)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if not getattr(args, "checks_settings_itself", False):
            settings.require_valid()  # a wrong setting stops every command, named in Russian
        return int(args.handler(args) or EXIT_OK)
    except NastavnikError as error:
        print(f"nastavnik: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (e.g. `head`) went away
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # never a traceback for people
        print(f"nastavnik: внутренняя ошибка ({type(error).__name__}): {error}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
