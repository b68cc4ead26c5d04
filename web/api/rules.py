"""``/api/v1/rules``: the rulesets in service and a decision on given facts (nothing is stored)."""
from __future__ import annotations

from flask_smorest import abort

from engine.errors import FactError
from engine.rules import default_registry
from engine.rules.facts import normalise
from web.api.core import make_blueprint
from web.api.schemas import DecisionSchema, EvaluateSchema, RulesetSchema

bp = make_blueprint("rules", "/rules", "Правила: наборы правил и решение по фактам")


def _ruleset_dict(ruleset, versions) -> dict:
    return {"id": ruleset.id, "version": ruleset.version, "title": ruleset.title,
            "versions": [version for version, _ in versions],
            "facts": [{"name": f.name, "type": f.type, "label": f.label, "unit": f.unit, "minimum": f.minimum,
                       "maximum": f.maximum, "integer": f.integer, "values": dict(f.values)}
                      for f in ruleset.facts.values()]}


@bp.route("")
@bp.response(200, RulesetSchema(many=True))
def index():
    """Наборы правил в работе: id, версия, факты, которые они читают (любому владельцу токена)"""
    registry = default_registry()
    return [_ruleset_dict(registry.get(ruleset_id), registry.versions(ruleset_id)) for ruleset_id in registry.ids()]


@bp.route("/<string(maxlength=100):ruleset_id>/evaluate", methods=["POST"])
@bp.arguments(EvaluateSchema)
@bp.response(200, DecisionSchema)
def evaluate(body: dict, ruleset_id: str):
    """Решение по фактам с пояснением по каждому критерию

    Факт неверного типа, вне диапазона или неизвестный набору — 422 с именем факта; отсутствующий
    факт — недостаточно данных (verdict insufficient_data). Неизвестный набор — 404. Решение ничего не
    сохраняет и не читает ничьих данных, поэтому доступно любому владельцу токена.
    """
    registry = default_registry()
    ruleset = registry.get(ruleset_id)
    _, issues = normalise(ruleset, body["facts"])
    if issues:
        facts: dict[str, list[str]] = {}
        for issue in issues:
            facts.setdefault(issue.fact, []).append(issue.message)
        abort(422, errors={"json": {"facts": facts}},
              message="Факты не приняты: " + "; ".join(str(issue) for issue in issues))
    try:
        return registry.decide(ruleset_id, body["facts"], strict=True)
    except FactError as error:  # the same check as above; kept for safety
        abort(422, errors={"json": {"facts": [error.message]}}, message=str(error))
