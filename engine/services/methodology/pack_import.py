"""A regulation pack as a whole folder: checked on disk (``nastavnik packs check``), uploaded as a zip in the
browser (a draft of the pack's own files; its rule files must be the deployed ones — they are edited in
«Файлы правил»), or deployed from a folder kept in git (``nastavnik packs deploy``: the folder's rule files
become their files' deployed versions, then the pack's own files a deployed pack version, all or nothing).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy.orm import Session

from engine.db.models import RegulationPackVersion
from engine.errors import NastavnikError, PermissionDenied
from engine.regulations import MANIFEST, PackError, PackProblem, load_pack, pack_folders, read_folder
from engine.rules import check_paths
from engine.services.methodology import regulation_packs, rule_deployment, rule_files
from engine.services.methodology.regulation_packs import RULESETS
from engine.services.people.actor import Actor

MAX_ARCHIVE_FILES = 200
MAX_ARCHIVE_BYTES = 4 * 1024 * 1024  # unpacked


# -- folders on disk ------------------------------------------------------------------------------

def folders_of(paths: list[Path]) -> list[Path]:
    """Pack folders named: a folder with pack.yaml, or a folder of such folders (``rules/``)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            raise NastavnikError(f"{path}: это не папка положения (в папке должен быть {MANIFEST})")
        folders = [path] if (path / MANIFEST).is_file() else pack_folders(path)
        if not folders:
            raise NastavnikError(f"{path}: нет ни {MANIFEST}, ни папок положений с ним")
        found += folders
    return found


def check_folders(paths: list[Path]) -> list[str]:
    """Every problem of the pack folders (their own files by file and field, their rule files by the rule
    registry's check, roadmap ids repeated across the folders), as lines to print."""
    lines: list[str] = []
    roadmap_owner: dict[str, str] = {}
    for folder in folders_of(paths):
        lines += [str(p) for p in check_paths([folder / "rulesets"])] if (folder / "rulesets").is_dir() else []
        try:
            regulation = load_pack(folder, known_processes=set(regulation_packs.shipped_process_ids()))
        except PackError as error:
            lines += [str(p) for p in error.problems]
            continue
        for roadmap_id in regulation.roadmaps:
            if roadmap_id in roadmap_owner:
                lines.append(str(PackProblem(f"{folder.name}/roadmaps/{roadmap_id}.yaml", "id",
                                             f"дорожная карта «{roadmap_id}» уже есть в {roadmap_owner[roadmap_id]}")))
            roadmap_owner[roadmap_id] = folder.name
    return lines


@dataclass
class Imported:
    pack_id: str
    version: RegulationPackVersion | None  # None: the deployed version has these files
    rule_files: list[str]  # rule files that got a new deployed version


def import_folder(session: Session, actor: Actor, folder: Path) -> Imported:
    """Deploy the folder (see the module's notes); PackError lists every problem and nothing changes (the caller
    commits, or rolls back on an error). A pack not stored yet is the system's to add."""
    pack_id = folder.name
    rule_files.ensure_shipped(session)
    regulation_packs.ensure_shipped(session)
    files = read_folder(folder)
    own, names, problems = regulation_packs.own_files(files, pack_id)
    texts = {name: files[RULESETS + name] for name in names}
    for name, data in texts.items():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(PackProblem(f"{pack_id}/rulesets/{name}", "", "файл не в кодировке UTF-8"))
            continue
        problems += [PackProblem(f"{pack_id}/rulesets/{name}", p.item, p.message)
                     for p in rule_files.check_adoption(session, name, text)]
    try:
        regulation_packs.load_version(session, pack_id, own, names, rule_texts_given=texts)
    except PackError as error:
        problems += error.problems
    if problems:
        raise PackError(problems, where=pack_id)
    if regulation_packs.stored(session, pack_id):
        info = regulation_packs.get_pack(session, actor, pack_id)
    elif actor.is_system:
        info = regulation_packs.PackInfo(pack_id, pack_id, "", [], [])
    else:
        raise PermissionDenied(f"{actor.full_name or actor.login}: новое положение добавляется из командной строки")
    adopted = [name for name, data in texts.items()
               if rule_deployment.adopt(session, actor, name, data.decode("utf-8")) is not None]
    digest = regulation_packs.digest_of(own)
    same = next((v for v in info.versions if v.digest == digest and sorted(v.rule_files) == names), None)
    if same is not None and same is info.deployed:
        return Imported(pack_id, None, adopted)
    deployed = info.deployed
    row = same or regulation_packs.store(session, actor, info, own, names, base=deployed.version if deployed else None,
                                         note=f"Загружено из папки {folder}")
    return Imported(pack_id, regulation_packs.deploy(session, actor, pack_id, row.version), adopted)


# -- a zip uploaded in the browser ----------------------------------------------------------------

def read_archive(data: bytes, pack_id: str) -> dict[str, bytes]:
    """The files of a zip of the pack folder (at its root, or in one folder); PackError on a bad archive."""
    def refuse(message: str) -> PackError:
        return PackError([PackProblem(f"{pack_id}.zip", "", message)], where="archive")

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        raise refuse("файл не читается как zip-архив") from None
    if len(entries) > MAX_ARCHIVE_FILES or sum(e.file_size for e in entries) > MAX_ARCHIVE_BYTES:
        raise refuse(f"в архиве больше {MAX_ARCHIVE_FILES} файлов или больше 4 МБ после распаковки")
    names = [PurePosixPath(e.filename) for e in entries]
    if any(n.is_absolute() or ".." in n.parts for n in names):
        raise refuse("в архиве есть пути, выходящие за папку положения")
    kept = [(e, n) for e, n in zip(entries, names, strict=True)
            if not any(part.startswith(".") or part == "__MACOSX" for part in n.parts)]
    tops = {n.parts[0] for _e, n in kept if len(n.parts) > 1}
    strip = 1 if MANIFEST not in {n.as_posix() for _e, n in kept} and len(tops) == 1 else 0
    try:
        return {PurePosixPath(*n.parts[strip:]).as_posix(): archive.read(e) for e, n in kept}
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise refuse(f"архив повреждён: {error}") from None


def save_archive(session: Session, actor: Actor, pack_id: str, data: bytes,
                 note: str | None = None) -> RegulationPackVersion:
    """The zip's files as a new draft of the pack: its own files replace the version's; a rules file in it must
    be the deployed text (else a problem naming it); none at all keeps the deployed version's rule files."""
    info = regulation_packs.get_pack(session, actor, pack_id)
    files = read_archive(data, pack_id)
    own, names, problems = regulation_packs.own_files(files, pack_id)
    base = info.deployed or info.versions[0]
    if names:
        deployed = regulation_packs.rule_texts(session, names)
        for name in names:
            if rule_files.normalise_text(files[RULESETS + name].decode("utf-8", errors="replace")) \
                    != rule_files.normalise_text(deployed.get(name, b"").decode("utf-8")):
                problems.append(PackProblem(
                    f"{pack_id}/rulesets/{name}", "", "отличается от действующей версии файла правил: файлы правил "
                    "правятся и развёртываются в разделе «Файлы правил» (или уберите папку rulesets/ из архива)"))
    names = names or list(base.rule_files)
    problems += regulation_packs.problems_of(session, pack_id, own, names)
    if problems:
        raise PackError(problems, where=pack_id)
    return regulation_packs.store(session, actor, info, own, names, base=base.version, note=note)
