"""What methodologists edit: rule files and their versions (``rule_files``; deployed and running:
``rule_deployment``), where a rule problem is (``rule_lines``), trying a ruleset (``rule_trials``), process
definitions' versions and who runs on them (``workflow_versions``), regulation pack versions (``regulation_packs``; whole folders: ``pack_import``; what the
process runs: ``pack_running``; an organization's pack: ``pack_binding``).
Imports: ``people``, ``process``, ``audit``, ``orders``, ``mentorship``, rules."""
