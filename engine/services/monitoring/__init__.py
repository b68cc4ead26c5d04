"""The department's dashboard (issue 15, item 2): who sees which organizations and which period (``scope``), the
figures counted in the database (``dashboard``), the list behind each figure (``lists``), their labels
(``labels``) and the workbook of its tables (``exports``).
Imports: ``people``, ``process``, ``curation``."""
