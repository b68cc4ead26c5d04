"""A Russian file name reaches the browser: the ``Content-Disposition`` header is Latin-1 (waitress answered the
staff template «сотрудники_1.xlsx» and an order «prikaz-100р.txt» with a 500, the test client let them pass), the
UTF-8 name rides in ``filename*`` (RFC 6266), an ASCII name stays as it was."""
from __future__ import annotations

from urllib.parse import unquote

import pytest

from web.downloads import attachment


@pytest.mark.parametrize("name", ["сотрудники_1.xlsx", "prikaz-100р.txt", "приказ № 5 «о парах».docx", "отчёт"])
def test_a_russian_name_is_sent_as_utf8_beside_an_ascii_one(name):
    header = attachment(name)
    header.encode("latin-1")  # what a WSGI server writes (PEP 3333)
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''" in header
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback and fallback.isascii() and '"' not in fallback


def test_the_ascii_fallback_keeps_what_it_can():
    assert attachment("prikaz-100р.txt").startswith('attachment; filename="prikaz-100.txt";')
    assert attachment("сотрудники_1.xlsx").startswith('attachment; filename="1.xlsx";')
    assert attachment("отчёт").startswith('attachment; filename="file";')


def test_an_ascii_name_is_left_alone():
    assert attachment("personal-data-7.json") == 'attachment; filename="personal-data-7.json"'
    assert attachment('a"b.txt') == 'attachment; filename="a_b.txt"'
