"""Layering: the domain (engine/) never imports the web layer or Flask; durable_rules has one owning
module and SpiffWorkflow one owning package (engine/workflow/spiff/: specs, definitions, runtime)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules_importing(prefix: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "engine").rglob("*.py")) + sorted((ROOT / "web").rglob("*.py")):
        if any(name == prefix or name.startswith(prefix + ".") for name in _imports(path)):
            found.append(path.relative_to(ROOT).as_posix())
    return found


def test_engine_never_imports_flask_or_web():
    offenders = []
    for path in sorted((ROOT / "engine").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in {"flask", "web", "flask_login", "flask_wtf", "flask_babel", "flask_smorest"}:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_only_one_module_owns_durable_rules():
    assert _modules_importing("durable") == ["engine/rules/durable_backend.py"]


def test_only_the_spiff_package_imports_spiffworkflow():
    owners = _modules_importing("SpiffWorkflow")
    assert owners and all(path.startswith("engine/workflow/spiff/") for path in owners), owners
