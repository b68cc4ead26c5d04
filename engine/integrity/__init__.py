"""Tamper evidence of the records that must not change: the audit trail (``audit_entries``), the personal-data
access log (``access_log``) and the signed orders (``orders``).

* ``keys``: the server's key material, kept OUTSIDE the database: the chain key (HMAC-SHA256) and the
  organization's certificate with its private key (CMS signatures of signed orders).
* ``canonical``: the canonical content of a stored row, its SHA-256, the chain hash and the keyed seal.
* ``cms``: the detached CMS (PKCS#7) signature of a signed order's text, made and checked.

The chain itself is appended when a transaction commits (``engine.db.chain``) and checked by
``engine.services.audit.integrity`` (``nastavnik verify``, the order's page, the integrity page).
Nothing here touches the database.
"""
