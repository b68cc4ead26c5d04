"""Regulation packs as methodologists edit them: numbered versions of a pack's files in the database, checked
before they are stored, one deployed version per pack running in the process (``pack_running``).

- A version holds the pack's own files — pack.yaml, roadmaps/*.yaml, orders/*.j2, protocols/*.j2 — and the names of its
  rulesets/ files. Rule files keep their own versions (``rule_files``: edited, checked and deployed there); a
  pack version is checked and installed with the deployed text of each, so one rule file has one history.
- The folders under ``rules/`` become version 1 (deployed, saved by nobody) the first time anything asks; a
  shipped folder whose files are not stored yet (a later release of the software) is added as a draft.
- A methodologist edits one file at a time (or uploads the folder as a zip, ``pack_import``); the edit becomes
  a draft if the whole pack loads (``load_pack_files``: every problem named by file and field), else nothing
  is stored. Deploying makes a draft (or a superseded version) the one new work of every organization bound
  to the pack reads; the version deployed before becomes superseded.
- Who: a methodologist works with the packs his organizations are bound to (as with rule files); the system
  (the command line) with every pack.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import bounded_yaml
from engine.db.models import (
    Organization,
    PackVersionStatus,
    ProcessDefinition,
    RegulationPackVersion,
    RuleFileVersion,
    VersionStatus,
    record_audit,
)
from engine.db.types import utcnow
from engine.errors import NastavnikError, NotFound
from engine.regulations import (
    MANIFEST,
    PACKS_DIRECTORY,
    PackError,
    PackProblem,
    RegulationPack,
    install_pack,
    load_pack_files,
    pack_folders,
    read_folder,
    rule_file_paths,
    shipped_packs,
)
from engine.regulations.loader import pack_digest
from engine.services.methodology.access import bound_packs, require_pack_access
from engine.services.methodology.rule_files import normalise_text
from engine.services.people.actor import Actor
from engine.services.process.definitions import WORKFLOWS_DIRECTORY
from engine.workflow.bpmn_xml import parse_bpmn, root_process_ids

SHIPPED_NOTE = "Поставка: папка rules/{name}"
MAX_NOTE = 2000
RULESETS = "rulesets/"
EDITABLE = re.compile(r"pack\.yaml|roadmaps/[a-z][a-z0-9_]*\.ya?ml|(?:orders|protocols)/[a-z][a-z0-9_]*\.j2")
EDITABLE_HINT = ("pack.yaml, roadmaps/<имя>.yaml, orders/<вид приказа>.j2 или protocols/<орган>.j2 (строчные латинские "
                 "буквы, цифры и _)")


@dataclass
class PackInfo:
    pack_id: str
    title: str
    seed: str
    versions: list[RegulationPackVersion]  # newest first
    organizations: list[str]  # the organizations bound to the pack (names)

    @property
    def deployed(self) -> RegulationPackVersion | None:
        return next((v for v in self.versions if v.status == PackVersionStatus.DEPLOYED.value), None)

    @property
    def drafts(self) -> list[RegulationPackVersion]:
        return [v for v in self.versions if v.status == PackVersionStatus.DRAFT.value]

    def version(self, number: int) -> RegulationPackVersion:
        for row in self.versions:
            if row.version == number:
                return row
        raise NotFound(f"у положения «{self.pack_id}» нет версии {number}")


# -- a pack's files -------------------------------------------------------------------------------

def own_files(files: Mapping[str, bytes], pack_id: str) -> tuple[dict[str, str], list[str], list[PackProblem]]:
    """A folder's files split: its own files as text, the names of its rule files, files that are not UTF-8."""
    own: dict[str, str] = {}
    problems: list[PackProblem] = []
    for relative, data in sorted(files.items()):
        if relative.startswith(RULESETS):
            continue
        try:
            own[relative] = normalise_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(PackProblem(f"{pack_id}/{relative}", "", "файл не в кодировке UTF-8"))
    names = sorted(r.removeprefix(RULESETS) for r in files if r.startswith(RULESETS) and r.count("/") == 1)
    return own, names, problems


def encoded(files: Mapping[str, str]) -> dict[str, bytes]:
    return {relative: text.encode("utf-8") for relative, text in files.items()}


def digest_of(files: Mapping[str, str]) -> str:
    return pack_digest(encoded(files))


# -- the shipped folders --------------------------------------------------------------------------

def ensure_shipped(session: Session, directory: Path = PACKS_DIRECTORY) -> int:
    """Store the shipped folders not stored yet (see the module's notes); the number of versions added."""
    added = 0
    for folder in pack_folders(directory):
        files, names, problems = own_files(read_folder(folder), folder.name)
        if problems:
            raise PackError(problems, where=folder.name)
        digest = digest_of(files)
        known = session.scalars(select(RegulationPackVersion)
                                .where(RegulationPackVersion.pack_id == folder.name)).all()
        if any(row.digest == digest for row in known):
            continue
        first = not known
        row = RegulationPackVersion(
            pack_id=folder.name, version=max((r.version for r in known), default=0) + 1, files=files,
            rule_files=names, digest=digest, note=SHIPPED_NOTE.format(name=folder.name),
            status=(PackVersionStatus.DEPLOYED if first else PackVersionStatus.DRAFT).value,
            deployed_at=utcnow() if first else None)
        try:
            with session.begin_nested():  # another process may be importing the same folder right now
                session.add(row)
        except IntegrityError:
            continue
        added += 1
    return added


# -- listing --------------------------------------------------------------------------------------

def _title(pack_id: str, row: RegulationPackVersion) -> tuple[str, str]:
    running = shipped_packs().get(pack_id)
    if running is not None:
        return running.title, running.seed
    try:
        manifest = bounded_yaml.load(row.files.get(MANIFEST, "")) or {}
    except yaml.YAMLError:
        manifest = {}
    manifest = manifest if isinstance(manifest, dict) else {}
    return str(manifest.get("title") or pack_id), str(manifest.get("seed") or "")


def _infos(session: Session, pack_ids: set[str] | None) -> list[PackInfo]:
    stmt = select(RegulationPackVersion).order_by(RegulationPackVersion.pack_id,
                                                  RegulationPackVersion.version.desc())
    grouped: dict[str, list[RegulationPackVersion]] = {}
    for row in session.scalars(stmt):
        if pack_ids is None or row.pack_id in pack_ids:
            grouped.setdefault(row.pack_id, []).append(row)
    bound: dict[str, list[str]] = {}
    for organization in session.scalars(select(Organization).where(Organization.regulation.in_(grouped))
                                        .order_by(Organization.id)):
        bound.setdefault(organization.regulation, []).append(organization.short_name or organization.name)
    infos = []
    for pack_id, rows in grouped.items():
        title, seed = _title(pack_id, (next((r for r in rows if r.status == PackVersionStatus.DEPLOYED.value),
                                            rows[0])))
        infos.append(PackInfo(pack_id, title, seed, rows, bound.get(pack_id, [])))
    return infos


def stored(session: Session, pack_id: str) -> bool:
    return session.scalar(select(RegulationPackVersion.id).where(RegulationPackVersion.pack_id == pack_id)
                          .limit(1)) is not None


def list_packs(session: Session, actor: Actor) -> list[PackInfo]:
    """The packs the actor may work with, each with its versions (newest first)."""
    ensure_shipped(session)
    return _infos(session, None if actor.is_system else bound_packs(session, actor))


def get_pack(session: Session, actor: Actor, pack_id: str) -> PackInfo:
    """One pack with its versions; NotFound / PermissionDenied."""
    ensure_shipped(session)
    found = _infos(session, {pack_id})
    if not found:
        raise NotFound(f"нет положения (пакета) «{pack_id}»")
    require_pack_access(session, actor, pack_id)
    return found[0]


# -- checking -------------------------------------------------------------------------------------

def rule_texts(session: Session, names: list[str]) -> dict[str, bytes]:
    """The deployed text of each named rule file (the shipped file where the store has none)."""
    rows = session.scalars(select(RuleFileVersion).where(RuleFileVersion.file_name.in_(names),
                                                         RuleFileVersion.status == VersionStatus.DEPLOYED.value))
    texts = {row.file_name: row.content.encode("utf-8") for row in rows}
    for path in rule_file_paths():
        if path.name in names and path.name not in texts:
            texts[path.name] = path.read_bytes()
    return texts


@lru_cache(maxsize=1)
def shipped_process_ids() -> frozenset[str]:
    """The process ids of workflows/*.bpmn (a pack may name them before they are deployed)."""
    found: set[str] = set()
    for path in sorted(WORKFLOWS_DIRECTORY.glob("*.bpmn")):
        root, _problems = parse_bpmn(path.read_bytes(), path.name)
        if root is not None:
            found.update(root_process_ids(root)[0])
    return frozenset(found)


def load_version(session: Session, pack_id: str, files: Mapping[str, str], rule_files: list[str], *,
                 rule_texts_given: Mapping[str, bytes] | None = None) -> RegulationPack:
    """The pack these files make with the deployed rule files (or ``rule_texts_given``); PackError names every
    problem by file and field (a roadmap id another pack has among them)."""
    texts = dict(rule_texts_given) if rule_texts_given is not None else rule_texts(session, rule_files)
    problems = [PackProblem(f"{pack_id}/rulesets/{name}", "", "файл правил не найден: его нет ни среди сохранённых "
                                                             "версий файлов правил, ни в поставке")
                for name in rule_files if name not in texts]
    processes = set(session.scalars(select(ProcessDefinition.process_id).distinct())) | shipped_process_ids()
    full = encoded(files) | {RULESETS + name: text for name, text in texts.items()}
    try:
        regulation = load_pack_files(pack_id, full, known_processes=processes)
    except PackError as error:
        raise PackError(problems + error.problems, where=pack_id) from None
    for other in shipped_packs().values():
        for roadmap_id in sorted(set(other.roadmaps) & set(regulation.roadmaps) if other.id != pack_id else ()):
            problems.append(PackProblem(f"{pack_id}/roadmaps/{roadmap_id}.yaml", "id",
                                        f"дорожная карта «{roadmap_id}» уже есть в положении «{other.id}»"))
    if problems:
        raise PackError(problems, where=pack_id)
    return regulation


def problems_of(session: Session, pack_id: str, files: Mapping[str, str], rule_files: list[str]) -> list[PackProblem]:
    try:
        load_version(session, pack_id, files, rule_files)
    except PackError as error:
        return list(error.problems)
    return []


# -- saving ---------------------------------------------------------------------------------------

def editable_path(path: str) -> str:
    path = (path or "").strip()
    if path.startswith(RULESETS):
        raise NastavnikError(f"{path}: файлы правил правятся в разделе «Файлы правил»", where="path")
    if not EDITABLE.fullmatch(path):
        raise NastavnikError(f"файл «{path}» не может входить в положение: допустимы {EDITABLE_HINT}", where="path")
    return path


def save_file(session: Session, actor: Actor, pack_id: str, path: str, text: str, *, note: str | None = None,
              base_version: int | None = None) -> RegulationPackVersion:
    """The base version (default: the deployed one) with one file written (or added) as a new draft, if the
    pack loads; else PackError naming every problem (nothing is stored)."""
    info = get_pack(session, actor, pack_id)
    base = info.version(base_version) if base_version is not None else (info.deployed or info.versions[0])
    files = dict(base.files)
    files[editable_path(path)] = normalise_text(text)
    return store(session, actor, info, files, list(base.rule_files), base=base.version, note=note)


def store(session: Session, actor: Actor, info: PackInfo, files: dict[str, str], rule_files: list[str], *,
          base: int | None, note: str | None) -> RegulationPackVersion:
    """A new draft version of the pack (checked; the caller checked access through ``info``)."""
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise NastavnikError(f"комментарий длиннее {MAX_NOTE} знаков", where="note")
    digest = digest_of(files)
    same = next((v for v in info.versions if v.digest == digest and sorted(v.rule_files) == sorted(rule_files)),
                None)
    if same is not None:
        raise NastavnikError(f"такие файлы уже сохранены как версия {same.version}: изменений нет", where="content")
    load_version(session, info.pack_id, files, rule_files)
    row = RegulationPackVersion(
        pack_id=info.pack_id, version=max((v.version for v in info.versions), default=0) + 1, files=files,
        rule_files=sorted(rule_files), digest=digest, status=PackVersionStatus.DRAFT.value, base_version=base,
        note=note, saved_by_id=actor.person_id)
    session.add(row)
    session.flush()
    record_audit(session, "regulation_pack.saved", actor=actor.person_id, obj=row,
                 details={"pack_id": info.pack_id, "version": row.version, "base_version": base})
    info.versions.insert(0, row)
    return row


def changed_files(old: RegulationPackVersion | None, new: RegulationPackVersion) -> list[str]:
    """The files that differ between two versions (added, removed or edited)."""
    before = old.files if old is not None else {}
    return sorted(p for p in set(before) | set(new.files) if before.get(p) != new.files.get(p))


# -- deploying ------------------------------------------------------------------------------------

def deploy(session: Session, actor: Actor, pack_id: str, version: int) -> RegulationPackVersion:
    """Make the version the one new work uses (here and in this process at once); PackError if it no longer
    loads (a rule file it names changed since)."""
    info = get_pack(session, actor, pack_id)
    chosen = info.version(version)
    regulation = load_version(session, pack_id, chosen.files, list(chosen.rule_files))
    install_pack(regulation)
    for other in info.versions:
        if other.status == PackVersionStatus.DEPLOYED.value and other is not chosen:
            other.status = PackVersionStatus.SUPERSEDED.value
    if chosen.status != PackVersionStatus.DEPLOYED.value:
        chosen.status = PackVersionStatus.DEPLOYED.value
        chosen.deployed_at, chosen.deployed_by_id = utcnow(), actor.person_id
    session.flush()
    record_audit(session, "regulation_pack.deployed", actor=actor.person_id, obj=chosen,
                 details={"pack_id": pack_id, "version": chosen.version, "digest": chosen.digest})
    return chosen
