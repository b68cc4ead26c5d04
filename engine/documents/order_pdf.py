"""An order as PDF, laid out from its stored text like the .docx (``engine.documents.docx``): issuer centred,
ПРИКАЗ spaced, date and number, subject in bold, justified paragraphs, numbered clauses, the signatory; a
draft carries «ПРОЕКТ», a signed order the signature stamp and the SHA-256 of the signed text (which stays
the record: this is a rendering of it)."""
from __future__ import annotations

from engine.documents.pdf import render_pdf
from engine.documents.reading import read_document


def order_pdf(text: str, *, sha256: str | None = None, title: str = "", author: str = "") -> bytes:
    """``text``: the order's stored text; ``sha256``: the hash of a signed text, printed in the stamp."""
    doc = read_document(text)
    return render_pdf("order.html", {"doc": doc, "sha256": sha256, "title": doc.subject or title},
                      title=doc.subject or title, author=author)
