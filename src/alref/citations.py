"""Citations registry over the package's BibTeX files.

Every data row and correlation names a reference key. Code that *uses* a source calls
`cite(key)`; a computation wrapped in `track_citations()` collects exactly the keys it
used, so every result can list its sources (the PyBaMM `Citations` idea). A cached
computation cites only when it runs; `citing_cache` replays its citations (and warnings) on
every call, so a result's sources never depend on what ran before it in the process.

BibTeX files live in ``alref/data/references/*.bib``; keys must be unique across files.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from alref.errors import DataError

ASSUMPTION = "assumption"


@dataclass(frozen=True)
class Reference:
    """One BibTeX entry."""

    key: str
    entry_type: str
    fields: dict[str, str]

    def field(self, name: str, default: str = "") -> str:
        """A field as readable text (LaTeX accents and braces resolved, `delatex`)."""
        return delatex(self.fields.get(name, default))

    def short(self) -> str:
        """Author (year), title — one line for tables."""
        author = self.field("author", self.fields.get("organization", "")).split(" and ")[0]
        year = self.field("year", "n.d.")
        title = self.field("title")
        return f"{author} ({year}). {title}".strip()

    def formatted(self) -> str:
        """A readable reference: ``Authors (year). Title. Container volume(number), pages.``
        (up to three authors, then "et al."; the DOI is given apart, `doi`)."""
        names = [a.strip() for a in self.field("author", self.fields.get("organization", ""))
                 .split(" and ") if a.strip()]
        authors = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
        text = f"{authors} ({self.field('year', 'n.d.')}). {self.field('title')}".strip()
        container = (self.field("journal") or self.field("booktitle") or self.field("publisher")
                     or self.field("institution"))
        if container:
            text += f". {container}"
        if self.fields.get("volume"):
            text += f" {self.field('volume')}"
            if self.fields.get("number"):
                text += f"({self.field('number')})"
        if self.fields.get("pages"):
            text += f", {self.field('pages')}"
        return text.rstrip(".") + "."

    @property
    def doi(self) -> str | None:
        """The DOI (without ``https://doi.org/``), if the entry has one."""
        d = self.fields.get("doi", "").strip()
        return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", d) or None


#: LaTeX accent commands of the .bib files -> combining Unicode marks
_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303",
            "v": "\u030c", "=": "\u0304", ".": "\u0307", "c": "\u0327", "u": "\u0306",
            "H": "\u030b", "r": "\u030a", "k": "\u0328"}
_LETTERS = {"i": "ı", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "ss": "ß",
            "l": "ł", "L": "Ł", "oe": "œ", "OE": "Œ", "&": "&", "%": "%", "_": "_", "$": "$"}
_ACCENT_RE = re.compile(r"\\([`'\"^~=.]|[vcuHrk])\s*(?:\{\s*(\\?[A-Za-z]+)\s*\}|(\\?[A-Za-z]))")
_LETTER_RE = re.compile(r"\\(?:(ae|AE|aa|AA|ss|oe|OE)|([ioOlL])(?![A-Za-z])|([&%_$]))\s*(\{\})?")


def delatex(text: str) -> str:
    """BibTeX text as plain Unicode: accents (``Br\\"{u}ck`` -> ``Brück``), special letters,
    ``--`` -> en dash, ``~`` -> space, braces dropped."""
    import unicodedata

    def accent(m: re.Match[str]) -> str:
        base = m.group(2) or m.group(3) or ""
        if base.startswith("\\"):  # dotless i/j under an accent: the plain letter
            base = base[1:] if base[1:] in ("i", "j") else _LETTERS.get(base[1:], base[1:])
        return unicodedata.normalize("NFC", base + _ACCENTS[m.group(1)])

    out = _ACCENT_RE.sub(accent, text)
    out = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1) or m.group(2) or m.group(3)], out)
    out = out.replace("---", "—").replace("--", "–").replace("~", " ")
    out = out.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", out).strip()


_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
_FIELD = re.compile(r"(\w+)\s*=\s*", re.MULTILINE)


def _read_braced(text: str, start: int) -> tuple[str, int]:
    """Return the content of a {...} or "..." value starting at `start`, and the end index."""
    opener = text[start]
    if opener == '"':
        end = text.index('"', start + 1)
        return text[start + 1 : end], end + 1
    if opener != "{":
        m = re.match(r"[^,}\s]+", text[start:])
        if not m:
            raise DataError(f"bad BibTeX value at offset {start}")
        return m.group(0), start + m.end()
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    raise DataError("unbalanced braces in BibTeX")


def parse_bibtex(text: str) -> dict[str, Reference]:
    """Parse a BibTeX string into references (enough for our own, well-formed files)."""
    refs: dict[str, Reference] = {}
    for m in _ENTRY.finditer(text):
        etype, key = m.group(1).lower(), m.group(2)
        pos = m.end()
        fields: dict[str, str] = {}
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] == "}":
                break
            fm = _FIELD.match(text, pos)
            if not fm:
                raise DataError(f"bad BibTeX field in entry {key!r}")
            value, pos = _read_braced(text, fm.end())
            fields[fm.group(1).lower()] = " ".join(value.replace("{", "").replace("}", "").split())
        if key in refs:
            raise DataError(f"duplicate BibTeX key {key!r}")
        refs[key] = Reference(key, etype, fields)
    return refs


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """All references shipped with alref, by key."""
    refs: dict[str, Reference] = {}
    folder = resources.files("alref.data").joinpath("references")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".bib"):
            for key, ref in parse_bibtex(item.read_text(encoding="utf-8")).items():
                if key in refs:
                    raise DataError(f"BibTeX key {key!r} defined in two files")
                refs[key] = ref
    return refs


def get(key: str) -> Reference:
    """Look up a reference; unknown keys are a data bug."""
    try:
        return references()[key]
    except KeyError:
        raise DataError(f"unknown reference key {key!r}") from None


@dataclass
class CitationTracker:
    """Collects the reference keys used while it is active."""

    keys: set[str] = field(default_factory=set)
    assumptions: set[str] = field(default_factory=set)

    def sorted_keys(self) -> list[str]:
        return sorted(self.keys)


_active: contextvars.ContextVar[tuple[CitationTracker, ...]] = contextvars.ContextVar(
    "alref_citation_trackers", default=()
)


_VALIDATED: set[str] = set()


def cite(*keys: str) -> None:
    """Record that the current computation used these sources (no-op if none tracked)."""
    trackers = _active.get()
    if not trackers:
        return
    for key in keys:
        if not key or key == ASSUMPTION:
            continue
        if key not in _VALIDATED:
            get(key)  # validate once
            _VALIDATED.add(key)
        for t in trackers:
            t.keys.add(key)


def note_assumption(name: str) -> None:
    """Record that a labelled assumption was used."""
    for t in _active.get():
        t.assumptions.add(name)


@contextlib.contextmanager
def track_citations() -> Iterator[CitationTracker]:
    """Context manager collecting the citations of everything computed inside it."""
    tracker = CitationTracker()
    token = _active.set((*_active.get(), tracker))
    try:
        yield tracker
    finally:
        _active.reset(token)


F = TypeVar("F", bound=Callable[..., Any])


def citing_cache(maxsize: int | None = 128) -> Callable[[F], F]:
    """`functools.lru_cache` that records, on every call (hit or miss), the citations,
    assumptions and warnings the cached computation produced when it ran."""

    def deco(func: F) -> F:
        @lru_cache(maxsize=maxsize)
        def run(*args: Any) -> tuple[Any, tuple[str, ...], tuple[str, ...], tuple[Any, ...]]:
            with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = func(*args)
            return (value, tuple(sorted(tracker.keys)), tuple(sorted(tracker.assumptions)),
                    tuple((w.message, w.category) for w in caught))

        @functools.wraps(func)
        def wrapper(*args: Any) -> Any:
            value, keys, assumptions, caught = run(*args)
            cite(*keys)
            for name in assumptions:
                note_assumption(name)
            for message, category in caught:
                warnings.warn(message, category, stacklevel=2)
            return value

        wrapper.cache_clear = run.cache_clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return deco
