"""PDF documents (engine.documents.pdf): Cyrillic text embedded in DejaVu, nothing fetched from outside,
a clear Russian error when the fonts are missing."""
from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from engine.documents import pdf
from engine.documents.order_pdf import order_pdf


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def _fonts(data: bytes) -> set[tuple[str, bool]]:
    found = set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            found.add((str(font["/BaseFont"]).split("+")[-1], "/FontFile2" in descriptor))
    return found


SIGNED = """Департамент образования администрации Города Томска

ПРИКАЗ

20.02.2024 № 100р
г. Томск

О назначении наставников

В соответствии с положением о наставничестве ПРИКАЗЫВАЮ:

1. Назначить наставником Волкова Игоря Николаевича.
1.1. Установить срок наставничества 24 месяца.
2. Контроль оставляю за собой.

Начальник департамента О.В. Васильева

2024-02-20T10:00:55+0700 Васильева Ольга Владимировна Я подтверждаю этот документ"""


def test_a_signed_order_reads_back_with_its_stamp_hash_and_embedded_cyrillic_fonts():
    data = order_pdf(SIGNED, sha256="0f" * 32, author="Департамент образования")
    text = _text(data)
    assert "П Р И К А З" in text or "ПРИКАЗ" in text
    assert "1.1. Установить срок наставничества 24 месяца." in text
    assert "Я подтверждаю этот документ" in text and f"SHA-256 текста приказа: {'0f' * 32}" in text
    assert "стр. 1 из 1" in text
    fonts = _fonts(data)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert {name for name, _embedded in fonts} >= {"DejaVu-Serif", "DejaVu-Serif-Bold"}
    assert PdfReader(BytesIO(data)).metadata.title == "О назначении наставников"


def test_a_draft_says_so_and_has_no_hash():
    text = _text(order_pdf("ПРОЕКТ\n\n" + SIGNED.rsplit("\n\n", 1)[0]))
    assert text.startswith("ПРОЕКТ") and "SHA-256" not in text


def test_a_document_fetches_nothing_but_the_fonts(tmp_path):
    leak = tmp_path / "leak.css"
    leak.write_text('body::before { content: "УТЕЧКА"; }', encoding="utf-8")
    html = (f'<html><head><link rel="stylesheet" href="{leak.as_uri()}"></head>'
            f'<body><p>Текст</p><img src="http://127.0.0.1:9/x.png" alt=""></body></html>')
    text = _text(pdf.html_to_pdf(html, title="t"))
    assert "Текст" in text and "УТЕЧКА" not in text


def test_without_the_fonts_the_error_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIRECTORIES", (tmp_path,))
    pdf.font_directory.cache_clear()
    try:
        with pytest.raises(pdf.PdfUnavailable, match="fonts-dejavu-core"):
            pdf.html_to_pdf("<p>Текст</p>", title="t")
    finally:
        pdf.font_directory.cache_clear()
