"""The audit trail in words (``history``): entries about programs, instances and orders told as Russian
sentences; what a refused request showed of people, for the access log (``disclosures``).
Imports: the database, roadmaps, BPMN names — no other room."""
