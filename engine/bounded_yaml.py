"""YAML the methodologists write (rule files, regulation packs, roadmaps), read safely and within bounds.

``BoundedLoader`` is PyYAML's safe loader that refuses lists and mappings nested deeper than ``MAX_NESTING``
(PyYAML composes them recursively: thousands of ``[`` exhaust Python's stack) and numbers of more than
``MAX_NUMBER_DIGITS`` digits (Python refuses to read an integer of more than 4300 digits), each as a
``yaml.YAMLError`` with its line and column, so every reader reports it as it reports a syntax error.
"""
from __future__ import annotations

from typing import Any

import yaml

MAX_NESTING = 20  # the shipped files use at most 5
MAX_NUMBER_DIGITS = 30


class BoundedLoader(yaml.SafeLoader):
    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if not self.check_event(yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        if self.depth >= MAX_NESTING:
            raise yaml.composer.ComposerError(
                None, None, f"слишком глубокая вложенность списков и словарей: больше {MAX_NESTING} уровней",
                self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def short_number(self, node: yaml.ScalarNode) -> None:
        if sum(char.isdigit() for char in str(node.value)) > MAX_NUMBER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"слишком длинное число: больше {MAX_NUMBER_DIGITS} цифр", node.start_mark)

    def construct_yaml_int(self, node):  # noqa: ANN001, ANN201 - PyYAML's signature
        self.short_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):  # noqa: ANN001, ANN201 - PyYAML's signature
        self.short_number(node)
        return super().construct_yaml_float(node)


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
BoundedLoader.add_constructor("tag:yaml.org,2002:float", BoundedLoader.construct_yaml_float)


def load(text: str) -> Any:
    """``yaml.safe_load`` within the bounds (a ``yaml.YAMLError`` beyond them)."""
    return yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - a SafeLoader subclass
