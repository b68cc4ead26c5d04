"""An explanation's message is filled from a template split once (cached), not by a regular expression per
decision: it must read exactly as the placeholder-by-placeholder substitution did — facts with their units,
parameters, unknown names and missing values, placeholders side by side or at either end, stray braces."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules import default_registry
from engine.rules.decision import format_message
from engine.rules.facts import display
from engine.rules.syntax import PLACEHOLDER

RULESET = default_registry().get("mentee_category_tomsk")  # facts with units, enums, bools, and a parameter


def substituted(template: str, facts: dict) -> str:
    """The substitution the explanation always made: each ``{name}`` replaced by its shown value."""
    def replace(match) -> str:  # noqa: ANN001
        name = match.group(1)
        if name in RULESET.parameters:
            return display(None, RULESET.parameters[name].value)
        return display(RULESET.facts.get(name), facts.get(name))

    return PLACEHOLDER.sub(replace, template)


names = st.sampled_from([*RULESET.facts, *RULESET.parameters, "unknown", ""])
pieces = st.one_of(st.text(alphabet="абв ,.:—{}", max_size=6), names.map(lambda name: "{" + name + "}"))
templates = st.lists(pieces, max_size=8).map("".join)
facts = st.fixed_dictionaries({}, optional={"months_as_head": st.sampled_from([1, 2, 4, 5, 11, 21, 1.5, 3.0]),
                                            "efficiency_percent": st.sampled_from([0, 50, 50.5]),
                                            "is_head": st.booleans()})


@settings(max_examples=600, deadline=None, database=None)
@given(templates, facts)
def test_a_message_reads_as_the_substitution_did(template, facts):
    assert format_message(RULESET, template, facts) == substituted(template, facts)


def test_the_months_agree_every_time_the_same_message_is_made():
    template = "В должности {months_as_head}, вновь назначенный — до {new_head_max_months} месяцев"
    for months, shown in [(4, "4 месяца"), (5, "5 месяцев"), (4, "4 месяца"), (21, "21 месяц"), (1.5, "1,5 месяца")]:
        assert format_message(RULESET, template, {"months_as_head": months}) == \
            f"В должности {shown}, вновь назначенный — до 12 месяцев"
