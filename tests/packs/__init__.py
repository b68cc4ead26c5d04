"""Pack data the tests run that no shipped pack holds yet: ``indicators_002()`` — the indicators of 002 §5
(``report_indicators_002.yaml``), read by the pack loader's own reader with 002 as the seed, every problem refused."""
from __future__ import annotations

from pathlib import Path

import yaml

from engine.regulations.manifest import Manifest
from engine.regulations.pack_parts import ReportIndicator
from engine.regulations.report_parts import report_indicators

INDICATORS_002 = Path(__file__).with_name("report_indicators_002.yaml")


def indicators_002() -> tuple[ReportIndicator, ...]:
    raw = yaml.safe_load(INDICATORS_002.read_text(encoding="utf-8"))
    manifest = Manifest(f"002/{INDICATORS_002.name}", raw, str(raw["seed"]))
    found = report_indicators(manifest)
    assert not manifest.problems, manifest.problems
    return tuple(found)
