"""The individual plan of a teacher's professional development (ИППР, 000 §2.2): ``plans`` (what a plan is, opening
one for a teacher and academic year with its mentor), ``permissions`` (who sees it and who does what), ``items``
(the items of its sections, marked done or not at the year's end), ``states`` (agree, approve, return to draft,
close the year), ``pages`` (what the pages and the plan's document show),
``access`` (whether the section concerns a person).

The states draft → agreed → approved → closed are the plan's own, not a BPMN process: the plan is written by the
teacher and the mentor at their pace, with two signatures on it (the mentor agrees, the administration approves)
and nothing the clock drives.

Imports: people (the actor), process (the organization's today); nothing above."""
