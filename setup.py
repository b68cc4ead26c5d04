"""The wheel's build step (everything else is in pyproject.toml): the shipped folders into the package.

The checkout keeps ``workflows/``, ``rules/`` and ``migrations/`` at the top; the wheel carries them as
``engine/_shipped/<folder>`` (``engine.resources`` finds them there), the English catalogs compiled
(``web/translations_compiled``), and the front-end bundles of ``web/static/vendor`` — built at release time from the
pinned npm packages by ``scripts/setup.sh``: without them the build fails (an editable install does not need them).
"""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("workflows", "rules", "migrations")
VENDOR = "web/static/vendor"
BUNDLES = (  # what the pages load (web/templates); scripts/setup.sh makes them
    "bpmn-js/bpmn-viewer.production.min.js",
    "bpmn-js/bpmn-navigated-viewer.production.min.js",
    "bpmn-js/bpmn-modeler.production.min.js",
    "chart.js/chart.umd.min.js",
    "modeler/modeler.bundle.js",
    "modeler/properties-panel.css",
)
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        if not self.editable_mode:
            missing = [name for name in BUNDLES if not (HERE / VENDOR / name).is_file()]
            if missing:
                raise SystemExit(f"error: the front-end bundles are missing in {VENDOR}/ ({', '.join(missing)}): "
                                 f"run `bash scripts/setup.sh` (npm ci of the pinned package-lock.json) first")
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib)
        for folder in SHIPPED:
            copy = target / "engine" / "_shipped" / folder
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(HERE / folder, copy, ignore=LEFT_OUT)
        shutil.rmtree(target / "web" / "static" / "vendor", ignore_errors=True)
        shutil.copytree(HERE / VENDOR, target / "web" / "static" / "vendor", ignore=LEFT_OUT)
        self._compile_catalogs(target / "web" / "translations_compiled")

    @staticmethod
    def _compile_catalogs(target: Path) -> None:
        spec = importlib.util.spec_from_file_location("_nastavnik_catalogs", HERE / "web" / "catalogs.py")
        assert spec is not None and spec.loader is not None
        catalogs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogs)
        source = HERE / "web" / "translations"
        shutil.rmtree(target, ignore_errors=True)
        catalogs.compile_into(sorted(source.glob("*/LC_MESSAGES/*.po")), source, target)


setup(cmdclass={"build_py": BuildWithShippedFiles})
