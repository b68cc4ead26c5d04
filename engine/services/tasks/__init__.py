"""Completing any workflow step from any channel (``completion``): the JSON API, the command line and the pages
hand the client's values to one entry point, which checks them by the form's contract, refuses what only the
registers may fill (facts for the rules, names), and hands them to the domain's own builder of the step's data
(the curator's desk, the orders, the participants' steps, the calendar), which takes every fact from the registers
and checks every id against what the step allows.
Imports: ``people``, ``process``, ``orders``, ``mentorship``, ``curation``."""
