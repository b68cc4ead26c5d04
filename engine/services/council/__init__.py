"""The council of mentors of an organization (000 §4–5): the council, its members and chair, who may see and do
what (``base``); a session from scheduling to the vote — agenda, attendance, the secretary's election, votes,
the recorded discussion, the result counted (``sessions``); the protocol drawn up, signed by the chair and the
secretary, the decisions agreed by the head, the DOCX/PDF (``protocol``); the worker's purge of protocols past the
pack's retention period, audited (``retention``); what the pages show (``pages``); what the members, the
secretary and the head are told (``notices``).
Imports: ``people``, ``jobs``, ``notifications``, ``process`` (who holds a role), ``orders`` (the head's check),
regulations (packs), documents, integrity."""
