"""Who acts and what they may see: the acting person and their roles (``actor``), what a role is called in an
organization (``role_labels``: its regulation pack's label), passwords and logins (``accounts``), API tokens
(``api_tokens``), the people the API lists (``directory``), what is entered about a person in every channel
(``person_fields``: the base data and the rule files' facts) and a new person's record (``person_records``).
Imports: the database, regulation packs, the rule files' declarations and ``engine.errors`` only — every other
room builds on this one."""
