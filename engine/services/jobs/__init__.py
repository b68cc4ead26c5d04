"""Background work the database decides (issue 13): whatever a worker runs — a due timer of one instance, one
e-mail, a periodic job — is a ``Job`` row with an idempotency key, and its effect is committed together with the
row's ``done`` (``runner.run_job``), so it happens once however many workers received the broker's message.

    table.JobTable            the handlers by kind and the sweeps every tick runs (built in engine.bootstrap)
    queue.enqueue             a job for a key, once (a second enqueue of the key is the same job)
    runner.run_job            claim (SKIP LOCKED on PostgreSQL), run the handler, commit; a failure is retried with
                              backoff and after ``max_attempts`` becomes an incident
    scheduler.tick            the sweeps (due timers → jobs, periodic jobs), the heartbeat, the jobs due to hand out

Who calls them: the Celery worker (``worker``: ``nastavnik worker``) or, with no broker, the scheduler thread
inside ``nastavnik serve`` (``worker.embedded``) — the same functions in both modes.
Imports: the database, ``engine.errors`` and ``people`` (who acts) only; the rooms above declare their jobs.
"""
