"""What people are told (issue 13): notifications written with the step that caused them (``outbox``), each
person's choice of delivery per kind (``preferences``), the e-mails they become — at once or in the daily digest —
sent by jobs over SMTP (``email_*``), each person's deadlines as a calendar feed (``calendar_feed``), and the
person's own list in the app — the bell's count, marking read, opening one (``inbox``).
Imports: the database, ``engine.errors``, ``engine.documents.basics`` (an organization's time zone), ``people``
and ``jobs`` only; the rooms above call ``outbox.notify``.
"""
