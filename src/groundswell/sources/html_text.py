"""HTML status bodies (Mastodon, other ActivityPub servers) to the plain text people read.

Mastodon serves ``content`` as sanitized HTML: paragraphs in ``<p>``, line breaks as ``<br>``, links as
``<a>`` whose text is split into ``<span class="invisible">https://</span><span class="ellipsis">…</span>``
parts, hashtags and mentions as links reading ``#tag`` / ``@user``. The text of every element is kept — so a
link becomes its full address, a hashtag link ``#MeToo`` — with ``<br>`` as a newline and paragraphs
separated by a blank line, which is what the web interface shows and what the text stages expect.
The standard library parser is enough for sanitized HTML, and it decodes entities (``&amp;`` → ``&``).
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pending_break = ""

    def _out(self, text: str) -> None:
        if self.pending_break and self.parts:
            self.parts.append(self.pending_break)
        self.pending_break = ""
        self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._out("\n")
        elif tag in _BLOCKS:
            self.pending_break = "\n\n"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.pending_break = "\n\n"

    def handle_data(self, data: str) -> None:
        if data:
            self._out(data)


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: ``<br>`` → newline, paragraphs → blank line, links → their text."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html
    c = _Collector()
    c.feed(html)
    c.close()
    return "".join(c.parts).strip()
