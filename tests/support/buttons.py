"""The accessible names of a page's buttons, as a screen reader lists them (aria-label, else the text)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Buttons(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self._open: list[str] | None = None
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "button":
            self._open, self._label = [], dict(attrs).get("aria-label")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._open is not None:
            self.names.append(self._label or " ".join("".join(self._open).split()))
            self._open = None


def button_names(html: str) -> list[str]:
    parser = _Buttons()
    parser.feed(html)
    return parser.names
