"""The shipped rule files pass the check; each broken file is refused with messages that name the
file, the ruleset item and the field (and the closest known name where there is one)."""
from pathlib import Path

import pytest

from engine.regulations import rule_file_paths, shipped_rule_file
from engine.rules import RULES_DIRECTORY, check_paths

BROKEN = Path(__file__).parent / "broken"
SHIPPED_IDS = {"mentor_eligibility_tomsk", "network_mentor_yakutsk", "mentee_category_tomsk", "mentor_bonus_tomsk"}


def expectations(path: Path) -> list[str]:
    return [line[len(b"# expect: "):].decode("utf-8").strip()
            for line in path.read_bytes().splitlines() if line.startswith(b"# expect: ")]


def test_shipped_files_pass_the_check():
    assert [str(p) for p in check_paths([RULES_DIRECTORY])] == []


def test_shipped_files_are_the_contract():
    from engine.rules.loader import load_file

    ids = {load_file(path)[0].id for path in rule_file_paths()}
    assert SHIPPED_IDS <= ids


def test_every_criterion_cites_a_clause():
    from engine.rules.loader import load_file

    for path in rule_file_paths():
        ruleset, _ = load_file(path)
        for criterion in ruleset.criteria:
            assert criterion.source[:3] in {"003", "004", "002", "001", "000"}, (path, criterion.id)


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_file_is_refused_with_named_problems(path):
    problems = check_paths([path])
    assert problems, f"{path.name} passed the check"
    text = "\n".join(str(problem) for problem in problems)
    for problem in problems:
        assert str(problem).startswith(f"{path}: "), problem
    for expected in expectations(path):
        assert expected in text, f"{path.name}: no «{expected}» in:\n{text}"


def test_broken_files_have_expectations():
    for path in BROKEN.glob("*.yaml"):
        assert expectations(path), path.name


def test_duplicate_ids_across_files(tmp_path):
    source = shipped_rule_file("mentor_bonus_tomsk").read_bytes()
    (tmp_path / "a.yaml").write_bytes(source)
    (tmp_path / "b.yaml").write_bytes(source)
    problems = check_paths([tmp_path])
    assert len(problems) == 1
    assert "mentor_bonus_tomsk/id: этот id уже есть в" in str(problems[0])

