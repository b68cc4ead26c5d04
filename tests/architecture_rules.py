"""The house rules as checks over a source tree: each ``check_*`` takes the project root and returns the
offences as lines ("path: what"), empty when the tree keeps the rule. tests/test_architecture.py runs them on
this project and on small trees with one planted offence each (a rule that cannot fail is no rule).

The layers: ``web`` and ``cli`` call ``engine``; ``engine`` never calls back (Flask, web or cli in any form,
``import_module("web…")`` included). Inside ``engine/services`` the rooms form a ladder: a room imports only the
rooms below it (``SERVICE_ROOMS``, lowest first) and the shared ``engine.services.pages``; the demo stands on the
services and nothing in the product stands on it. The foundations (database, rules, workflow, documents,
roadmaps, integrity keys, vocabulary, domain time) import no service; documents import no database. Routes do not
query: no SQLAlchemy in ``web/`` but its session module. Channels (``web``, ``cli``) complete a workflow step only
through the domain's services, never with raw data (``instances.complete_task``). No private name crosses a module
boundary.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SERVICE_ROOMS = ("people", "jobs", "notifications", "process", "audit", "orders", "mentorship", "network", "curation",
                 "council", "iom", "development_plans", "recognition",
                 "monitoring", "administration", "methodology", "tasks")
SHARED_SERVICE_MODULES = ("engine.services.pages",)
FOUNDATIONS = ("engine/db", "engine/rules", "engine/workflow", "engine/documents", "engine/forms", "engine/regulations",
               "engine/integrity", "engine/events.py", "engine/vocabulary.py", "engine/domain_time.py", "engine/errors.py")
WEB_FRAMEWORKS = {"flask", "flask_login", "flask_wtf", "flask_babel", "flask_smorest", "flask_limiter", "werkzeug",
                  "wtforms", "web", "cli", "worker", "celery", "kombu"}
PROJECT_PACKAGES = ("engine", "web", "cli", "worker")
WEB_SESSION_MODULES = ("web/db.py",)
QUERY_METHODS = {"scalar", "scalars", "execute", "query"}


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name (relative imports resolved)
    names: tuple[str, ...]  # the names of a from-import; () for ``import x``
    line: int
    type_only: bool = False  # under ``if TYPE_CHECKING:``


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(root: Path, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module_name(root, path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(root: Path, path: Path) -> list[Import]:
    """Every import of the file, at any depth (function-level imports count), plus modules named as a string to
    ``import_module``/``__import__`` (hiding an import in a string does not get past the layers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []
    typing_only = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, (), node.lineno, node.lineno in typing_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(Import(_resolve(root, path, node), tuple(a.name for a in node.names), node.lineno,
                                node.lineno in typing_only))
        elif isinstance(node, ast.Call) and _called_name(node) in {"import_module", "__import__"} and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(Import(first.value, (), node.lineno))
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                found.append(Import(str(first.values[0].value).rstrip("."), (), node.lineno))
    return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def python_files(root: Path, *folders: str) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        base = root / folder
        if base.is_file():
            files.append(base)
        elif base.is_dir():
            files += sorted(p for p in base.rglob("*.py") if "node_modules" not in p.parts)
    return files


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# -- the rules -------------------------------------------------------------------------------------

def check_engine_free_of_web(root: Path) -> list[str]:
    """engine/ imports no web framework, no ``web`` and no ``cli``, in any form."""
    return [f"{_rel(root, path)}:{imp.line}: imports {imp.module}"
            for path in python_files(root, "engine") for imp in imports(root, path)
            if imp.module.split(".")[0] in WEB_FRAMEWORKS]


def room_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["engine", "services"] and len(parts) > 2:
        return parts[2]
    return None


def check_service_rooms(root: Path) -> list[str]:
    """A service room imports only rooms below it and the shared modules; nothing else sits at the services'
    top level; no service imports the demo."""
    offences: list[str] = []
    services = root / "engine" / "services"
    for path in python_files(root, "engine/services"):
        own = module_name(root, path)
        room = room_of(own)
        if path.parent == services and path.name != "__init__.py" and own not in SHARED_SERVICE_MODULES:
            offences.append(f"{_rel(root, path)}: a module outside the rooms {SERVICE_ROOMS}")
            continue
        for imp in imports(root, path):
            if _within(imp.module, "engine.demo"):
                offences.append(f"{_rel(root, path)}:{imp.line}: a service imports the demo ({imp.module})")
            target = room_of(imp.module)
            if target is None or imp.module in SHARED_SERVICE_MODULES or room is None or target == room:
                if imp.module == "engine.services" and imp.names and room is not None:
                    offences.append(f"{_rel(root, path)}:{imp.line}: imports rooms through engine.services")
                continue
            if target not in SERVICE_ROOMS or room not in SERVICE_ROOMS:
                offences.append(f"{_rel(root, path)}:{imp.line}: unknown room in {imp.module}")
            elif SERVICE_ROOMS.index(target) > SERVICE_ROOMS.index(room):
                offences.append(f"{_rel(root, path)}:{imp.line}: room «{room}» imports the higher room «{target}» "
                                f"({imp.module})")
    return offences


def check_foundations(root: Path) -> list[str]:
    """The foundations import no service and no demo; documents import no database."""
    offences: list[str] = []
    for path in python_files(root, *FOUNDATIONS):
        for imp in imports(root, path):
            if _within(imp.module, "engine.services") or _within(imp.module, "engine.demo"):
                offences.append(f"{_rel(root, path)}:{imp.line}: a foundation imports {imp.module}")
            if _rel(root, path).startswith("engine/documents/") and (
                    _within(imp.module, "engine.db") or _within(imp.module, "sqlalchemy")):
                offences.append(f"{_rel(root, path)}:{imp.line}: documents import the database ({imp.module})")
    return offences


def check_product_free_of_demo(root: Path) -> list[str]:
    """Only the demo itself and the command that runs it may import the demo."""
    return [f"{_rel(root, path)}:{imp.line}: imports the demo ({imp.module})"
            for path in python_files(root, "engine", "web")
            if not _within(module_name(root, path), "engine.demo")
            for imp in imports(root, path) if _within(imp.module, "engine.demo")]


def check_views_do_not_query(root: Path) -> list[str]:
    """web/ asks the services: no SQLAlchemy (but for type hints) and no query calls outside its session
    module."""
    offences: list[str] = []
    for path in python_files(root, "web"):
        if _rel(root, path) in WEB_SESSION_MODULES:
            continue
        offences += [f"{_rel(root, path)}:{imp.line}: imports {imp.module}"
                     for imp in imports(root, path) if _within(imp.module, "sqlalchemy") and not imp.type_only]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offences += [f"{_rel(root, path)}:{node.lineno}: queries the database (.{node.func.attr})"
                     for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and node.func.attr in QUERY_METHODS]
    return offences


RAW_STEP_COMPLETION = "complete_task"  # engine.services.process.instances: a step's data as given


def check_channels_complete_steps_through_the_domain(root: Path) -> list[str]:
    """web/ and cli/ complete a workflow step only through the domain's services (one entry point for a step
    by its ids: ``engine.services.tasks.completion``), never with raw data through ``instances.complete_task``,
    which would write a client's rule facts and ids into the workflow unchecked (issue 11, finding 1)."""
    offences: list[str] = []
    for path in python_files(root, "web", "cli"):
        offences += [f"{_rel(root, path)}:{imp.line}: imports {RAW_STEP_COMPLETION} from {imp.module}"
                     for imp in imports(root, path) if RAW_STEP_COMPLETION in imp.names]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offences += [f"{_rel(root, path)}:{node.lineno}: completes a step with raw data (.{RAW_STEP_COMPLETION})"
                     for node in ast.walk(tree)
                     if isinstance(node, ast.Attribute) and node.attr == RAW_STEP_COMPLETION]
    return offences


def check_no_private_imports(root: Path) -> list[str]:
    """No ``_private`` name imported from another module of the project."""
    return [f"{_rel(root, path)}:{imp.line}: imports {name} from {imp.module}"
            for path in python_files(root, *PROJECT_PACKAGES) for imp in imports(root, path)
            if imp.module.split(".")[0] in PROJECT_PACKAGES
            for name in imp.names if name.startswith("_") and not name.startswith("__")]


def import_cycles(root: Path, folder: str) -> list[list[str]]:
    """Cycles in the module import graph under ``folder`` (function-level imports count)."""
    graph: dict[str, set[str]] = {}
    for path in python_files(root, folder):
        own = module_name(root, path)
        targets: set[str] = set()
        for imp in imports(root, path):
            targets.add(imp.module)
            targets.update(f"{imp.module}.{name}" for name in imp.names)
        graph[own] = targets
    known = set(graph)
    edges = {m: sorted(t for t in targets if t in known and t != m and not m.startswith(t + "."))
             for m, targets in graph.items()}
    return _cycles(edges)


def _cycles(edges: dict[str, list[str]]) -> list[list[str]]:  # noqa: C901 - Tarjan's algorithm as written
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, []):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def check_no_service_cycles(root: Path) -> list[str]:
    return [" ↔ ".join(cycle) for cycle in import_cycles(root, "engine/services")]


def check_owner(root: Path, prefix: str, allowed: str) -> list[str]:
    """Only modules under ``allowed`` (a path prefix) import ``prefix``."""
    return [f"{_rel(root, path)}:{imp.line}: imports {imp.module}"
            for path in python_files(root, *PROJECT_PACKAGES)
            if not _rel(root, path).startswith(allowed)
            for imp in imports(root, path) if _within(imp.module, prefix)]


def check_no_bulk_status_writes(root: Path) -> list[str]:
    """Statuses change one row at a time through the models' lifecycles: no Core ``update(...).values(status=…)``
    (it would pass by the check) outside engine/db/models."""
    offences: list[str] = []
    for path in python_files(root, *PROJECT_PACKAGES):
        if _rel(root, path).startswith("engine/db/models/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "values"
                    and any(k.arg == "status" for k in node.keywords)):
                offences.append(f"{_rel(root, path)}:{node.lineno}: a bulk status write")
    return offences
