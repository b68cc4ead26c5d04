"""Administration (issue 12): the organization tree, people and their roles, accounts, the staff import, the
first start of an installation, personal data requests (152-ФЗ: who may ask ``personal_data_access``, the export
``personal_data`` with the tables it reads ``personal_data_sections`` and how it reads ``personal_data_shown``,
``anonymization``) — the administrator's work.

Imports: ``people`` (actors, accounts, person fields), ``audit`` and the rooms below it for what a person's record
touches; nothing below imports it."""
