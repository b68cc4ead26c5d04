"""The export under 152-ФЗ, ст. 14 must carry everything stored about a person: every column of the database that
refers to ``persons`` is read by a section of ``personal_data_sections.SECTIONS``. A new table (or a new column
naming a person) fails this test until the export covers it."""
from __future__ import annotations

import engine.db.models  # noqa: F401 - every table on Base.metadata
from engine.db.base import Base
from engine.services.administration.personal_data_sections import ROOMS, SECTIONS, WITHHELD, Section


def person_columns_in_metadata() -> set[tuple[str, str]]:
    return {(table.name, column.name) for table in Base.metadata.sorted_tables for column in table.columns
            if any(fk.column.table.name == "persons" for fk in column.foreign_keys)}


def test_every_column_naming_a_person_is_read_by_the_export():
    covered = {(section.table, column) for section in SECTIONS for column in section.person_columns}
    missing = person_columns_in_metadata() - covered
    assert not missing, f"the personal-data export does not read: {sorted(missing)} (personal_data_sections)"
    assert covered <= person_columns_in_metadata(), "a section names a column that refers to no person"


def test_the_walk_finds_the_tables_it_must_and_can_fail():
    found = person_columns_in_metadata()
    assert {("orders", "signer_id"), ("access_log", "subject_id"), ("api_tokens", "person_id")} <= found
    assert len({table for table, _ in found}) >= 25


def test_shown_and_withheld_columns_exist():
    tables = Base.metadata.tables
    for section in SECTIONS:
        for column, label in section.shown:
            assert column.split(".")[0] in tables[section.table].c, f"{section.key}: no column {column}"
            assert label and label == label.strip()
    for table, column in WITHHELD:
        assert column in tables[table].c, f"withheld {table}.{column} does not exist"


def test_every_section_a_room_keeps_is_composed_once_under_its_own_key():
    """The sections are kept by room (``personal_data_sections/<room>.py``) and composed in one place: a section a
    room defines but ``SECTIONS`` leaves out would never be read, and a key given twice would hide a section in the
    JSON document, whose sections are keyed."""
    defined = {id(value): value for room in ROOMS for value in [*vars(room).values(), *room.SECTIONS]
               if isinstance(value, Section)}
    composed = {id(section) for section in SECTIONS}
    left_out = sorted(section.key for key, section in defined.items() if key not in composed)
    assert not left_out, f"sections kept by a room but not composed in SECTIONS: {left_out}"
    assert len(composed) == len(SECTIONS) == len({section.key for section in SECTIONS}), "a section or key repeats"
