"""Who acts and what they may see: the acting person and their roles (``actor``), what a role is called in an
organization (``role_labels``: its regulation pack's label), passwords and logins (``accounts``), API tokens
(``api_tokens``), the people the API lists (``directory``).
Imports: the database, regulation packs and ``engine.errors`` only — every other room builds on this one."""
