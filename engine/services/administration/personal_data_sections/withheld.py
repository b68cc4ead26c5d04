"""The columns the personal-data export never gives (152-ФЗ, ст. 14), each with the reason: a secret (a hash, a
signature, a one-time link in a letter) or a work product that is not data about the person (a process's scheme,
a rule file, a file's content given by its own link). One list for every room, so that what is kept back is read
in one place; the JSON document names each with its reason."""
from __future__ import annotations

WITHHELD: dict[tuple[str, str], str] = {
    ("persons", "password_hash"): "хеш пароля — секрет; в выгрузке указано только, задан ли пароль",
    ("api_tokens", "token_sha256"): "хеш токена — секрет",
    ("account_links", "token_sha256"): "хеш ссылки — секрет",
    ("calendar_feeds", "token_sha256"): "хеш адреса календаря — секрет",
    ("outgoing_emails", "text_body"): "текст письма может содержать одноразовую ссылку; тема и состояние — в выгрузке",
    ("outgoing_emails", "html_body"): "то же письмо в HTML",
    ("attachments", "content"): "содержимое файла выдаётся по ссылке на файл, в выгрузке — сведения о нём",
    ("process_definitions", "bpmn"): "текст схемы процесса — не сведения о человеке",
    ("process_definitions", "spec_json"): "служебное представление процесса",
    ("workflow_instances", "state"): "служебное состояние процесса",
    ("rule_file_versions", "content"): "текст файла правил — не сведения о человеке",
    ("regulation_pack_versions", "files"): "файлы пакета регламента — не сведения о человеке",
    ("designed_forms", "schema"): "схема формы из конструктора — не сведения о человеке",
    ("orders", "document_signature"): "подпись CMS приказа (проверяется командой nastavnik verify)",
    ("council_sessions", "chair_signature"): "подпись CMS протокола совета председателем",
    ("council_sessions", "secretary_signature"): "подпись CMS протокола совета секретарём",
    ("incentives", "document_content"): "содержимое документа о поощрении выдаётся по ссылке, в выгрузке — сведения о нём",
    ("practice_files", "content"): "содержимое файла практики выдаётся по ссылке, в выгрузке — сведения о нём",
}
