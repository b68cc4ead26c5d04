"""Monitoring of the mentorship system (issue 15): the department's dashboard (``scope``: who sees which
organizations and which period; ``figures``: what each figure counts, one statement for the count and its list;
``dashboard``: the figures counted in the database; ``lists``: the list behind a figure; ``labels``: their words;
``exports``: its tables as XLSX and PDF) and the semi-annual and final analytic reports of 003 §3.3
(``analytic_period``: the period and who sees it; ``analytic_figures``: the figures counted in the database;
``analytic_report``: the report, its tables and the curator's conclusions; ``analytic_exports``: the report as XLSX
and PDF).
Imports: ``people``, ``process``, ``audit``, ``curation``."""
