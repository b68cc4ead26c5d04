"""The audit trail in words (``history``): entries about programs, instances and orders told as Russian
sentences; what a refused request showed of people, for the access log (``disclosures``); whether the trails and
the signed orders are as written (``integrity``: the chains and signatures of ``engine.integrity``). Imports: the
database, roadmaps, BPMN names, the integrity keys — no other room."""
