"""The process runtime: stored BPMN definitions and their versions (``definitions``), running instances,
one transaction per step (``instances``), each step guarded — rolled back on any error, a script stopped
at a bound recorded as an incident (``step_guard``), the state stored without its spec (``instance_state``),
the rows derived after each step (``derived_rows``), the table of domain hooks steps run (``hooks``).
Imports: ``people``, the workflow engine (``engine.workflow``), rules, the database."""
