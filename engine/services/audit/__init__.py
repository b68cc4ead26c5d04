"""The audit trail in words (``history``): entries about programs, instances and orders told as Russian
sentences. Imports: the database, roadmaps, BPMN names — no other room."""
