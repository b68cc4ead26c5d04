"""Where the files the product ships live: the one module that knows the checkout from the installed package.

In a checkout the processes, the regulation packs and the migrations are the top-level folders ``workflows/``,
``rules/`` and ``migrations/`` next to ``engine/``. The built wheel carries copies of them inside this package as
``engine/_shipped/<folder>`` (``setup.py`` puts them there at build time), so an installation from the wheel needs
no checkout. Every path to a shipped file is resolved here, never by counting parents of a module's file.

The instance folder (the SQLite database by default, the signing keys) is the checkout's ``instance/`` in a
checkout; in an installation, ``instance/`` under the current directory at start (``NASTAVNIK_INSTANCE_DIR``
chooses another, ``engine.settings``).
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

Shipped = Literal["workflows", "rules", "migrations"]

PACKAGE_DIRECTORY = Path(str(files("engine")))
INSTALLED_DATA = PACKAGE_DIRECTORY / "_shipped"  # the wheel's copies (absent in a checkout)
CHECKOUT = PACKAGE_DIRECTORY.parent


def installed() -> bool:
    """Whether this is an installation from the wheel (the shipped folders inside the package)."""
    return INSTALLED_DATA.is_dir()


DATA_ROOT: Path = INSTALLED_DATA if installed() else CHECKOUT  # the folder that holds workflows/, rules/, …


def shipped(folder: Shipped) -> Path:
    """The shipped folder ``workflows``, ``rules`` (the regulation packs) or ``migrations``."""
    return DATA_ROOT / folder


def source_name(path: Path) -> str:
    """How a shipped file is named in the records (``workflows/mentor_appointment.bpmn``), wherever it lies."""
    try:
        return path.resolve().relative_to(DATA_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def default_instance_directory() -> Path:
    """The checkout's ``instance/``; in an installation ``instance/`` under the current directory."""
    if installed():
        return Path.cwd().resolve() / "instance"
    return CHECKOUT / "instance"


def base_directory() -> Path:
    """What a relative SQLite path is relative to: the checkout, or the current directory of an installation."""
    return Path.cwd().resolve() if installed() else CHECKOUT


def code_root() -> Path:
    """The folder that holds the ``engine`` package (a child interpreter's ``PYTHONPATH`` and working folder)."""
    return CHECKOUT
