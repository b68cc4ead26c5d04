"""Use cases: each function takes the DB session and the acting person, checks permission, acts, audits.
Routes (web/) and the command line (cli/) call these; these call models and the workflow/rules engines,
never upwards.

Rooms, lowest first; a room imports only the rooms listed before it (tests/test_architecture.py):

* ``people``      — who acts: roles, passwords, API tokens;
* ``process``     — the process runtime: definitions, running instances, their stored state, derived rows,
                    the hook table steps run;
* ``audit``       — the audit trail told in words;
* ``orders``      — orders: drafting, numbering, signing, the order a workflow waits on, what the head sees;
* ``mentorship``  — who mentors whom and their programs: registry, appointment, pairs, programs, lifecycle,
                    petitions, attachments, what participants do and see;
* ``curation``    — the curator's desk: inbox, a step seen whole and completed, registries;
* ``methodology`` — rule files, trials of rules, process versions.
"""
