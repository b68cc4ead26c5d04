"""A mentor's recognition (issue 18 items 4 and 5): who may do and see what, the organization's regulation pack,
the organization tree a person belongs to (``basics``); the incentives recorded for a mentor with their basis and
document (``incentives``; 002 §3.4, 003 §9.1, 004 прил. 2 п. 9.1); the best-mentor contest — nominations, jury,
votes, the result and its order signed by the head, the winners' incentives (``contests``, the order's effect in
``contest_results``); the bank of practices and cases: submitted, approved or returned, searched and read
(``practices``; 001 §2.2, 002 §3.2, 003 §3.3, 004 прил. 1 п. 5.1); what they tell — the nominee, the jurors, the
curators, a practice's curators and author (``notices``).
Imports: ``people`` (actors and the organization tree), ``orders`` (the result order drafted, submitted),
``notifications`` and ``process`` (the notices and who holds a role),
``mentorship`` (the attachments' file checks), ``curation`` (the search's
spellings of a word), regulations (packs)."""
