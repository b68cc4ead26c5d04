"""The individual plan of a teacher's professional development (ИППР, 000 §2.2): ``plans`` (open a plan for a
teacher and academic year with its mentor, the items of its sections, agree, approve, return to draft, mark the
items done or not at the year's end, close the year), ``pages`` (what the pages and the plan's document show),
``access`` (whether the section concerns a person).

The states draft → agreed → approved → closed are the plan's own, not a BPMN process: the plan is written by the
teacher and the mentor at their pace, with two signatures on it (the mentor agrees, the administration approves)
and nothing the clock drives.

Imports: people (the actor), process (the organization's today); nothing above."""
