"""What the personal-data export (152-ФЗ, ст. 14) reads: one ``Section`` per table holding a column that names a
person, each with its Russian title, what the person is to the row (by column) and the columns a reader sees
on the page (the JSON document carries every column but the ``WITHHELD`` ones).

Each room's sections are in the module of the room (``participants``, ``programs``, ``accounts``, ``processes``,
``iom``, ``development_plans``, ``reports``, ``network``, ``council``, ``recognition``); ``SECTIONS`` composes them
here in the order the page shows them. The columns never given are ``withheld``, the rows that name the person
without a column of theirs ``indirect``.

``SECTIONS`` must name every column of the database that refers to ``persons``: the test
tests/engine/services/administration/test_personal_data_coverage.py walks ``Base.metadata`` and fails on a table
or column left out, so a new table cannot be forgotten by the export.
"""
from __future__ import annotations

from engine.services.administration.personal_data_sections import (
    accounts,
    council,
    development_plans,
    iom,
    network,
    participants,
    processes,
    programs,
    recognition,
    reports,
)
from engine.services.administration.personal_data_sections.indirect import (
    INDIRECT_SHOWN,
    INDIRECT_TABLES,
    INDIRECT_TITLES,
)
from engine.services.administration.personal_data_sections.section import Section
from engine.services.administration.personal_data_sections.withheld import WITHHELD

__all__ = ["INDIRECT_SHOWN", "INDIRECT_TABLES", "INDIRECT_TITLES", "ROOMS", "SECTIONS", "WITHHELD", "Section"]

# every room's module, for the test that no section of a room is left out of SECTIONS
ROOMS = (participants, programs, accounts, processes, iom, development_plans, reports, network, council, recognition)
# the page's order: each room's sections together, the script incidents, the mentor's bonus and the background jobs
# where the page has always shown them
SECTIONS: tuple[Section, ...] = (
    *participants.SECTIONS, *programs.SECTIONS, *accounts.SECTIONS, *processes.SECTIONS, *iom.SECTIONS,
    *development_plans.SECTIONS, *reports.SECTIONS, processes.SCRIPT_INCIDENTS, recognition.MENTOR_BONUSES,
    *network.SECTIONS, processes.RESOLVED_JOBS, *council.SECTIONS, *recognition.SECTIONS,
)
