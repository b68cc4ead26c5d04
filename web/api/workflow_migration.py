"""``/api/v1/workflows/{process_id}/migration``: the running instances of a process on older versions, whether each
can move to the version its organization now runs (the reason when not), and moving the chosen ones — the same as
the methodologist's page «Перевести выполняющиеся программы на новую версию» (issue 16, item 6)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID
from engine.services.methodology import instance_migration
from web.api.core import api_actor
from web.api.workflows import bp
from web.db import get_db

MAX_CHOSEN = 1000


class CandidateSchema(ma.Schema):
    instance_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    organization = fields.String(required=True, attribute="organization_name")
    program_id = fields.Integer(allow_none=True)
    from_version = fields.Integer(required=True)
    to_version = fields.Integer(required=True)
    open_tasks = fields.List(fields.String(), required=True, metadata={"description": "названия открытых задач"})
    movable = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True, attribute="obstacles",
                          metadata={"description": "почему перевести нельзя, каждая причина называет элемент"})


class MigrationListSchema(ma.Schema):
    process_id = fields.String(required=True)
    name = fields.String(required=True)
    total = fields.Integer(required=True, metadata={"description": "выполняющихся по прежним версиям"})
    more = fields.Boolean(required=True, metadata={"description": "их больше, чем total"})
    instances = fields.List(fields.Nested(CandidateSchema), required=True,
                            metadata={"description": "первые 100, старые сначала"})


class MoveRequestSchema(ma.Schema):
    instances = fields.List(fields.Integer(strict=True, validate=validate.Range(1, MAX_ID)), required=True,
                            validate=validate.Length(1, MAX_CHOSEN),
                            metadata={"description": "номера процессов, которые перевести"})


class MovedSchema(ma.Schema):
    instance_id = fields.Integer(required=True)
    from_version = fields.Integer(required=True)
    to_version = fields.Integer(required=True)


class RefusedSchema(ma.Schema):
    instance_id = fields.Integer(required=True)
    reason = fields.String(required=True)


class MoveResultSchema(ma.Schema):
    moved = fields.List(fields.Nested(MovedSchema), required=True)
    refused = fields.List(fields.Nested(RefusedSchema), required=True)


@bp.route("/<process_id>/migration", methods=["GET"])
@bp.response(200, MigrationListSchema)
def migration(process_id: str):
    """Выполняющиеся по прежним версиям процессы организаций методиста: можно ли перевести каждый (методист)"""
    listing = instance_migration.candidates(get_db(), api_actor(), process_id)
    return {"process_id": listing.process_id, "name": listing.name, "total": listing.total.value,
            "more": listing.total.more, "instances": listing.candidates}


@bp.route("/<process_id>/migration", methods=["POST"])
@bp.arguments(MoveRequestSchema)
@bp.response(200, MoveResultSchema)
def migrate(body: dict, process_id: str):
    """Перевести выбранные процессы на текущую версию (методист); каждый переводится отдельно, непереводимый не
    меняется и возвращается с причиной в ``refused``"""
    result = instance_migration.move_instances(get_db(), api_actor(), process_id, body["instances"])
    return {"moved": result.moved, "refused": [{"instance_id": i, "reason": r} for i, r in result.refused]}
