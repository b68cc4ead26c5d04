"""The individual educational route of a teacher (ИОМ, 002 §1.2, §4.2.2): ``steps`` (the seven positions of the
algorithm and their sections), ``routes`` (open a route, record its steps in order, attach a personalized program,
the yearly review), ``reviews`` (the worker's daily sweep opening the yearly review on each anniversary).

The seven positions are states of the route (``IomRoute.step``), not a BPMN process: a route lasts 4–5 years, its
steps are written by the teacher and the tutor on their own pace with no one to approve them, and the only thing
the clock drives — the yearly review — is a dated row the worker opens; a process instance held open for five
years would add only migrations of its state across every workflow change.

Imports: people (the actor), jobs (the daily sweep), process (the organization's today); nothing above."""
