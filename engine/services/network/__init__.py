"""Network mentoring of the Coordination Centre of network mentors (004 I–IV), for organizations whose regulation
pack forms groups by direction (``processes.pair_formation: network_grouping``): the basics every module uses —
the pack's check, the local day, directions (``basics``); trainees with their category and direction, the
self-diagnosis or the school's monitoring (``trainees``); groups by direction handed to the network mentor and
the mentor's work plan and work records (``groups``); each trainee's year — development plan, the mentor's
review (``year``); the effectiveness indicator and the year's report (``report``); who may see and do what, the
access log (``access``); what pages show — the Coordination Centre's desk (``centre_pages``), a group and a
trainee's year in it (``group_pages``), the person's own hub, groups and entries (``own_pages``).
Imports: ``people``, ``process``, ``audit``, ``mentorship`` (the mentee registry), regulations (packs)."""
