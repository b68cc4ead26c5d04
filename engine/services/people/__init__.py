"""Who acts and what they may see: the acting person and their roles (``actor``), passwords and logins
(``accounts``), API tokens (``api_tokens``), the people the API lists (``directory``).
Imports: the database and ``engine.errors`` only — every other room builds on this one."""
