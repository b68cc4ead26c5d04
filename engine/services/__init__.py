"""Use cases: each function takes the DB session and the acting person, checks permission, acts, audits.
Routes (web/) and the CLI call these; these call models and the workflow/rules engines, never upwards."""
