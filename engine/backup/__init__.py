"""Backup and restore of an installation: ``nastavnik backup <file>`` / ``nastavnik restore <file>``.

One archive (``.tar.gz``) holds everything a department needs to come back after losing its server:

* ``manifest.json`` — the archive format's version, the application's version, the database's kind and
  schema revision (Alembic), when it was made, the SHA-256 of every other member, and what the database held
  (programs, orders, signed orders, attachments, with one digest over every attachment's bytes) so a restore
  can prove it brought back the same;
* the database: PostgreSQL as ``pg_dump`` custom format (``-Fc``; restored by ``pg_restore``), SQLite through
  the online backup API (``sqlite3.Connection.backup``: consistent while the app runs, never a file copy);
* the attached files live in the database (``attachments.content``, engine/db/models/files.py), so the dump
  carries them;
* optionally (``--with-keys``) the signing key material (``NASTAVNIK_SIGNING_DIR``): without it old seals and
  signatures cannot be checked, but whoever holds it can forge them, so by default it is kept apart (the
  manifest records its fingerprints, and a restore says when the server's keys are not the backup's).

A restore refuses a database holding data unless forced, refuses an archive made by a newer version of the
application, and upgrades an older backup's schema to the current one (``engine.db.migrate``).
"""
from __future__ import annotations

from engine.backup.archive import BackupError, Manifest, read_manifest
from engine.backup.run import BackupResult, RestoreResult, make_backup, restore_backup

__all__ = ["BackupError", "BackupResult", "Manifest", "RestoreResult", "make_backup", "read_manifest",
           "restore_backup"]
