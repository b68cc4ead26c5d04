"""The English catalogs compiled from the ``.po`` files: Babel only, no Flask (``setup.py`` compiles them into the
wheel with this module; a checkout compiles them on first use, ``web.i18n``)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_DIRECTORY = Path(__file__).resolve().parent / "translations"
PRECOMPILED = Path(__file__).resolve().parent / "translations_compiled"  # only in the built wheel


def compiled_translations(source: Path = SOURCE_DIRECTORY) -> Path:
    """A directory with ``<lang>/LC_MESSAGES/messages.mo`` compiled from the ``.po`` files in ``source``."""
    po_files = sorted(source.glob("*/LC_MESSAGES/*.po"))
    digest = hashlib.sha256()
    for po in po_files:
        digest.update(po.relative_to(source).as_posix().encode())
        digest.update(po.read_bytes())
    target = Path(tempfile.gettempdir()) / f"nastavnik-i18n-{digest.hexdigest()[:16]}"
    try:
        compile_into(po_files, source, target)
    except OSError:  # e.g. another user owns that directory: compile into a private one
        target = Path(tempfile.mkdtemp(prefix="nastavnik-i18n-"))
        compile_into(po_files, source, target)
    return target


def read_catalog(po_files: list[Path], locale: str) -> Catalog:
    """The ``.po`` files of one locale as one catalog (a later file cannot silently redefine a message)."""
    merged = Catalog(locale=locale)
    for po in po_files:
        with po.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id:
                    continue
                known = merged.get(message.id, message.context)
                if known is not None and known.string and message.string and known.string != message.string:
                    raise ValueError(f"{po}: «{message.id}» is translated differently in another .po file")
                if known is None or not known.string:
                    merged[message.id] = message
    return merged


def compile_into(po_files: list[Path], source: Path, target: Path) -> None:
    by_locale: dict[str, list[Path]] = {}
    for po in po_files:
        by_locale.setdefault(po.relative_to(source).parts[0], []).append(po)
    for locale, files in by_locale.items():
        mo = target / locale / "LC_MESSAGES" / "messages.mo"
        if mo.exists():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, read_catalog(files, locale), use_fuzzy=False)
        os.replace(partial, mo)  # atomic: concurrent workers never read half a file
