"""Shapes of names and texts in rule files."""
from __future__ import annotations

import re

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # ids of rulesets, facts, criteria, values
CLAUSE = re.compile(r"^\d{3}\s+\S")  # a clause citation: "003 §3.5"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # {fact} in messages


def is_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""
