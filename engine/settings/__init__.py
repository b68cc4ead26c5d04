"""«Наставник»'s settings: the environment, then an optional TOML file, then the defaults — read only here.

``value(NAME)`` is how every part of the product (engine, web, worker, cli) reads a setting: the environment
variable if it is set, else the key of the file ``NASTAVNIK_CONFIG`` names, else None (the caller's default).
``problems()`` checks every setting (Russian messages naming the setting) and the rules of production
(``NASTAVNIK_ENV=production``: a secret key is required); ``require_valid()`` refuses to start on a problem;
``effective()`` is what ``nastavnik config check`` prints (secrets masked). The table is ``engine.settings.table``.
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.errors import NastavnikError
from engine.settings.table import BY_NAME, SETTINGS, Setting
from engine.settings.values import problem_of

CONFIG = "NASTAVNIK_CONFIG"
MIN_PRODUCTION_SECRET = 32

__all__ = ["SETTINGS", "Effective", "Setting", "effective", "environment", "flag", "instance_directory",
           "is_production", "problems", "require_valid", "value"]


def _file_name() -> str | None:
    return (os.environ.get(CONFIG) or "").strip() or None


@lru_cache(maxsize=4)
def _read_file(name: str, stamp: float) -> dict[str, str]:
    path = Path(name)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise NastavnikError(f"файл настроек «{name}» не прочитан: {error.strerror or error}", where=CONFIG) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise NastavnikError(f"файл настроек «{name}» — не TOML: {error}", where=CONFIG) from None
    values: dict[str, str] = {}
    for key, raw in document.items():
        name_of_key = _known_name(key)
        if name_of_key is None or name_of_key == CONFIG:
            raise NastavnikError(f"в файле настроек «{name}» неизвестная настройка «{key}» (допустимы имена из "
                                 f"docs/configuration.md)", where=CONFIG)
        if isinstance(raw, bool):
            values[name_of_key] = "1" if raw else "0"
        elif isinstance(raw, str | int | float):
            values[name_of_key] = str(raw)
        else:
            raise NastavnikError(f"в файле настроек «{name}» значение «{key}» должно быть строкой, числом или "
                                 f"true/false", where=CONFIG)
    return values


def _known_name(key: str) -> str | None:
    for candidate in (key, key.upper(), f"NASTAVNIK_{key.upper()}"):
        if candidate in BY_NAME:
            return candidate
    return None


def file_values() -> dict[str, str]:
    """The settings of the file ``NASTAVNIK_CONFIG`` names (empty without one)."""
    name = _file_name()
    if name is None:
        return {}
    try:
        stamp = Path(name).stat().st_mtime
    except OSError:
        stamp = -1.0
    return _read_file(name, stamp)


def value(name: str) -> str | None:
    """The setting ``name``: the environment, else the file, else None. Empty counts as not set."""
    if name not in BY_NAME:
        raise KeyError(f"{name} is not in engine/settings/table.py: add it there first")
    raw = os.environ.get(name)
    if raw is not None and raw.strip() != "":
        return raw
    return file_values().get(name)


def environment() -> dict[str, str]:
    """Every set setting by name (the file's overridden by the environment's): for readers taking a mapping."""
    merged = dict(file_values())
    merged.update({s.name: os.environ[s.name] for s in SETTINGS if (os.environ.get(s.name) or "").strip()})
    return merged


def flag(name: str, default: bool) -> bool:
    raw = value(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on", "да"}


def is_production() -> bool:
    return (value("NASTAVNIK_ENV") or "development").strip().lower() == "production"


def instance_directory() -> Path:
    """The data folder: ``NASTAVNIK_INSTANCE_DIR`` or the default of ``engine.resources``."""
    from engine import resources

    configured = value("NASTAVNIK_INSTANCE_DIR")
    return Path(configured).expanduser().resolve() if configured else resources.default_instance_directory()


def problems(values: Mapping[str, str] | None = None) -> list[str]:
    """Every wrong setting, one Russian line each naming it; empty when all is well."""
    try:
        current = environment() if values is None else dict(values)
    except NastavnikError as error:
        return [str(error)]
    found = [f"{name}: {message}" for name, message in
             ((s.name, problem_of(s, current[s.name])) for s in SETTINGS if s.name in current) if message]
    production = (current.get("NASTAVNIK_ENV") or "").strip().lower() == "production"
    secret = current.get("NASTAVNIK_SECRET_KEY") or ""
    if production and not secret:
        found.append("NASTAVNIK_SECRET_KEY: не задан, а NASTAVNIK_ENV=production — рабочий сервер без постоянного "
                     "ключа сессий не запускается (создайте: python -c 'import secrets; "
                     "print(secrets.token_hex(32))')")
    elif production and len(secret) < MIN_PRODUCTION_SECRET:
        found.append(f"NASTAVNIK_SECRET_KEY: короче {MIN_PRODUCTION_SECRET} символов — слишком слабый ключ для "
                     f"production")
    if current.get("NASTAVNIK_SMTP_HOST") and not current.get("NASTAVNIK_BASE_URL"):
        found.append("NASTAVNIK_BASE_URL: почта включена (задан NASTAVNIK_SMTP_HOST), а адрес приложения для "
                     "ссылок в письмах не задан")
    return found


def require_valid() -> None:
    """Refuse to start (NastavnikError, Russian, naming the settings) when a setting is wrong."""
    found = problems()
    if found:
        raise NastavnikError("неверные настройки (docs/configuration.md, nastavnik config check):\n  "
                             + "\n  ".join(found))


@dataclass(frozen=True)
class Effective:
    name: str
    shown: str
    source: str  # «окружение», «файл …», «по умолчанию»


def effective() -> list[Effective]:
    """Every setting as it takes effect, secrets masked (``nastavnik config check``)."""
    try:
        from_file = file_values()
    except NastavnikError:
        from_file = {}
    rows = []
    for setting in SETTINGS:
        raw = os.environ.get(setting.name)
        if raw is not None and raw.strip():
            source = "окружение"
        elif setting.name in from_file:
            raw, source = from_file[setting.name], f"файл {_file_name()}"
        else:
            raw, source = None, "по умолчанию"
        rows.append(Effective(setting.name, _shown(setting, raw), source))
    return rows


def _shown(setting: Setting, raw: str | None) -> str:
    if raw is None:
        return setting.default if setting.default is not None else "—"
    if not setting.secret:
        return raw
    if setting.kind == "url" and "://" in raw:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(raw).render_as_string(hide_password=True)
        except ArgumentError:
            return "***"
    return f"*** ({len(raw)} симв.)"
