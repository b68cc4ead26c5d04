"""The background worker (issue 13): Celery on a Redis broker (``NASTAVNIK_BROKER_URL``) runs the jobs the
database decides (``engine.services.jobs``) — several worker processes on several machines share them — and,
with no broker, a scheduler thread inside ``nastavnik serve`` runs the same functions. The only package that
imports Celery; it calls the engine, never the web.
"""
