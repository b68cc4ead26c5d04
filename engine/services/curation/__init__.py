"""The curator's desk (003 §3.3): the inbox of steps waiting for the curator (``inbox``), one step seen whole
(``step_page``) and completed (``step_completion``), the registries of mentors, mentees, pairs and programs (``registries``).
Imports: ``people``, ``process``, ``audit``, ``orders``, ``mentorship``."""
