"""Administration (issue 12): the organization tree, people and their roles, accounts, the staff import, the
first start of an installation — the administrator's work, and the fields every channel enters about a person.

Imports people (actors, accounts), audit and the rooms below it for what a person's record touches; nothing below
imports it."""
