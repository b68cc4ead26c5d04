"""The process runtime: stored BPMN definitions and their versions (``definitions``), running instances,
one transaction per step (``instances``), the state stored without its spec (``instance_state``), the rows
derived after each step (``derived_rows``), the table of domain hooks steps run (``hooks``).
Imports: ``people``, the workflow engine (``engine.workflow``), rules, the database."""
