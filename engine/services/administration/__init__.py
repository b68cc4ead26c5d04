"""Administration (issue 12): the organization tree, people and their roles, accounts, the staff import, the
first start of an installation, personal data requests (152-ФЗ) — the administrator's work.

Imports: ``people`` (actors, accounts, person fields), ``audit`` and the rooms below it for what a person's record
touches; nothing below imports it."""
