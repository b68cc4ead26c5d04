"""What a person reads on a page, and what in it is not Russian: the visible text of an HTML page (no scripts,
styles, hidden inputs, and no verbatim content — ``<textarea>``, ``<pre>``, ``<code>`` or an element marked
``translate="no"``, the HTML attribute for text that is not to be translated: a rule file's source, a file
name, a login), and the leaks in it — a Latin-letter identifier (``roadmap_event.marked``, ``new_head``,
``regional``), an English phrase, a ``{placeholder}`` or ``%(name)s`` left unfilled."""
from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED = {"script", "style", "textarea", "pre", "code", "template", "svg", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# what is meant: the language switcher names its language in it; abbreviations in capitals (PDF, BPMN, SHA-256)
ALLOWED_WORDS = {"English", "Windows", "Excel"}  # «Windows-1251»: a file encoding (the staff import); «Выгрузить в Excel»
FILE_FORMATS = {"pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "jpeg", "png", "txt", "csv", "bpmn", "yaml", "yml",
                "json", "zip"}
CLAUSE = re.compile(r"(?:IV|V|I{1,3})(?:\.\d+)+")  # a section of 004's coordination-centre regulation: «004 II.2»
FILE_NAME = re.compile(r"(?<![\w/])[\w.-]+(?:/[\w.-]+)*\.(?:pdf|docx?|xlsx?|odt|jpe?g|png|txt|csv|bpmn|ya?ml|zip|json|j2)\b",
                       re.I)  # a file's name, also with its folder: «rules/tomsk/orders/completion.j2»
FOLDER = re.compile(r"(?<![\w/])[A-Za-z_][\w.-]*/(?:[\w.-]+/?)*")  # a folder: «rules/tomsk», «rulesets/»
PLACEHOLDER = re.compile(r"\{\{?\s*[\w.]+\s*\}?\}|%\(\w+\)[sd]|(?<!\w)%s(?!\w)")
IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+(?![\w])")
LATIN_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]+(?![\w])")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]+(?:[ ,'’:-]+[A-Za-z]+){2,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skip = (tag in SKIPPED or values.get("translate") == "no" or "hidden" in values
                or (tag == "input" and values.get("type") == "hidden"))
        if not skip and not self._skipping():
            self.parts += [f" {values[name]} " for name in SHOWN_ATTRIBUTES if values.get(name)]
            if tag in ("input", "button") and values.get("type") in ("submit", "button") and values.get("value"):
                self.parts.append(f" {values['value']} ")
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text as a person reads it, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def leaks(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """What in ``text`` is not Russian: identifiers, English words and phrases, unfilled placeholders; file
    names, abbreviations in capitals and ``allowed`` (logins shown on purpose) pass."""
    found = [match.group() for match in PLACEHOLDER.finditer(text)]
    text = FOLDER.sub(" ", FILE_NAME.sub(" ", text))
    found += [match.group() for match in ENGLISH_PHRASE.finditer(text)
              if sum(1 for word in re.findall(r"[A-Za-z]+", match.group()) if not word.isupper()) >= 2]
    found += [match.group() for match in IDENTIFIER.finditer(text)]
    found += [match.group() for match in LATIN_WORD.finditer(text)]
    return sorted({item for item in found if item not in ALLOWED_WORDS and item.lower() not in FILE_FORMATS
                   and not CLAUSE.fullmatch(item) and item not in allowed})
