"""HTML bodies to plain text, with a map from each piece of text back to the HTML source.

The standard library's `html.parser` is enough: we want the words, line breaks where blocks
end, no scripts or styles, and no quoted history (`<blockquote>`, Gmail's `gmail_quote`).
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_HTML_HINT = re.compile(r"<(?:html|body|div|p|br|span|table|td|font|a|b|i|strong)\b[^>]*>",
                        re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                         "table", "ul", "ol", "hr", "section", "article", "header", "footer"})
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "blockquote"})
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "divrplyfwdmsg")

Segment = tuple[int, int, int]
"""(start in the plain text, start in the HTML source, length in the HTML source)."""


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:5000])) >= 2


class _Extractor(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.parts: list[str] = []
        self.segments: list[Segment] = []
        self.length = 0
        self.skip_tag: str | None = None
        self.skip_depth = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, orig: int, orig_len: int) -> None:
        if self.skip_tag is not None or not text:
            return
        self.segments.append((self.length, orig, orig_len))
        self.parts.append(text)
        self.length += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self._emit("\n", self._offset(), 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        classes = " ".join(v or "" for k, v in attrs if k in ("class", "id")).lower()
        if tag in _SKIP_TAGS or any(c in classes for c in _QUOTE_CLASSES):
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        self._emit(data.replace("\r", " ").replace("\n", " "), self._offset(), len(data))

    def _reference(self, raw: str) -> None:
        text = unescape(raw)
        if text == raw:  # unknown entity: keep it as written
            text = raw
        self._emit(text.replace("\xa0", " "), self._offset(), len(raw))

    def handle_entityref(self, name: str) -> None:
        start = self._offset()
        end = self.source.find(";", start, start + len(name) + 2)
        raw = self.source[start:end + 1] if end != -1 else "&" + name
        self._reference(raw)

    def handle_charref(self, name: str) -> None:
        start = self._offset()
        end = self.source.find(";", start, start + len(name) + 3)
        raw = self.source[start:end + 1] if end != -1 else "&#" + name
        self._reference(raw)


def html_to_text(source: str) -> tuple[str, list[Segment]]:
    """The text of an HTML body and the segments that map it back to `source`."""
    parser = _Extractor(source)
    parser.feed(source)
    parser.close()
    if not parser.segments:
        return "", [(0, 0, 0)]
    return "".join(parser.parts), parser.segments
