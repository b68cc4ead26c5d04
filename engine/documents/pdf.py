"""Documents as PDF (WeasyPrint): an HTML page of ours laid out on A4 with the DejaVu fonts embedded, so
Cyrillic reads the same on any machine that opens the file.

``render_pdf(template, context)`` renders ``engine/documents/templates/<template>`` (Jinja2, autoescaped,
undefined names are errors) and lays it out; the templates extend ``_document.html`` (page size, margins,
fonts, «стр. N из M» in the footer). ``html_to_pdf(html)`` lays out a page rendered elsewhere.

Nothing is fetched from outside: the only resources a document may load are the font files
(``FontsOnly``), so a name or a text typed by a user can never make the server open a URL.
The fonts come from Debian's ``fonts-dejavu-core`` (scripts/setup.sh installs it); without them
``PdfUnavailable`` says which package is missing instead of silently substituting a font without Cyrillic.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from engine.errors import NastavnikError

FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"),
                    Path("/usr/local/share/fonts/dejavu"))
FONT_FILES = {  # (family, weight, style) → file name
    ("DejaVu Serif", "normal", "normal"): "DejaVuSerif.ttf",
    ("DejaVu Serif", "bold", "normal"): "DejaVuSerif-Bold.ttf",
    ("DejaVu Serif", "normal", "italic"): "DejaVuSerif-Italic.ttf",
    ("DejaVu Sans", "normal", "normal"): "DejaVuSans.ttf",
    ("DejaVu Sans", "bold", "normal"): "DejaVuSans-Bold.ttf",
}


class PdfUnavailable(NastavnikError):
    """This machine can't lay out PDF documents (the fonts or the layout library are missing)."""


@cache
def font_directory() -> Path:
    for directory in FONT_DIRECTORIES:
        if all((directory / name).is_file() for name in FONT_FILES.values()):
            return directory
    raise PdfUnavailable("Документ PDF не может быть сформирован: на сервере нет шрифтов DejaVu "
                         "(пакет fonts-dejavu-core); сообщите администратору.")


def font_faces() -> str:
    """The ``@font-face`` rules of the embedded fonts (file URLs of this machine's font directory)."""
    directory = font_directory()
    return "\n".join(
        f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style}; "
        f"src: url('{(directory / name).as_uri()}'); }}"
        for (family, weight, style), name in FONT_FILES.items())


@cache
def _templates() -> Environment:
    environment = Environment(loader=PackageLoader("engine.documents", "templates"), autoescape=select_autoescape(
        default=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["ru_date"] = lambda value: value.strftime("%d.%m.%Y") if value else "—"
    environment.filters["ru_number"] = lambda value: f"{value:,}".replace(",", "\u00a0") if value is not None else "—"
    return environment


def render_html(template: str, context: Mapping[str, Any]) -> str:
    """The document's HTML: ``template`` under engine/documents/templates with ``context`` and the fonts."""
    return _templates().get_template(template).render(**context, font_faces=font_faces())


def render_pdf(template: str, context: Mapping[str, Any], *, title: str, author: str = "") -> bytes:
    return html_to_pdf(render_html(template, context), title=title, author=author)


def html_to_pdf(html: str, *, title: str, author: str = "") -> bytes:
    """Lay ``html`` out as an A4 PDF; ``title``/``author`` go to the file's properties."""
    try:
        from weasyprint import HTML  # a heavy import, needed only by whoever asks for a PDF
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: Pango is missing
        raise PdfUnavailable("Документ PDF не может быть сформирован: на сервере не установлена библиотека "
                             f"вёрстки (WeasyPrint и Pango): {error}") from error

    fonts = font_directory().as_uri() + "/"

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(fonts):
                raise ValueError(f"в документе PDF разрешены только шрифты, не {url}")
            return super().fetch(url, headers)

    document = HTML(string=html, base_url=fonts, url_fetcher=FontsOnly(allowed_protocols=("file",)))
    rendered = document.render()
    rendered.metadata.title, rendered.metadata.authors = title, [author] if author else []
    return rendered.write_pdf() or b""
