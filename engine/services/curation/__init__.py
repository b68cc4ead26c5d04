"""The curator's desk (003 §3.3): the inbox of steps waiting for the curator (``inbox``), one step seen whole
(``step_page``) and completed (``step_completion``), the registries of mentors, mentees, pairs and programs
(``registries``), their edits (``registry_edits``), a person's rule facts corrected (``fact_corrections``) with the
decisions re-evaluated (``fact_reevaluation``) and the discrepancies and decision history the person's card shows
afterwards (``fact_discrepancies``).
Imports: ``people``, ``process``, ``audit``, ``orders``, ``mentorship``."""
