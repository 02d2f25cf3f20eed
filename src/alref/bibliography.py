"""The references a result rests on, as text: `print_citations(sol)`.

Every result of alref carries the BibTeX keys of the data and correlations that produced
it (`Solution.citations`, `OperatingPoint.citations`, collected by
`alref.citations.track_citations`). These helpers turn them into a numbered reference
list from the package's ``references.bib`` files.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TextIO

from alref import citations
from alref.errors import DataError


def citation_keys(obj: Any) -> list[str]:
    """The reference keys of a result (anything with ``.citations``) or of a key list."""
    keys = getattr(obj, "citations", obj)
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        raise TypeError(f"expected a result with .citations or a list of keys, got {type(obj).__name__}")
    return sorted(set(keys))


def format_citations(obj: Any) -> str:
    """Numbered lines ``[n] key: Author (year). Title [DOI link]`` for the references of `obj`."""
    lines = []
    for n, key in enumerate(citation_keys(obj), start=1):
        try:
            ref = citations.get(key)
        except DataError:
            lines.append(f"[{n}] {key}: (not in alref's references.bib)")
            continue
        text = ref.short()
        if ref.fields.get("doi"):
            text += f" https://doi.org/{ref.fields['doi']}"
        lines.append(f"[{n}] {key}: {text}")
    return "\n".join(lines)


def print_citations(obj: Any, file: TextIO | None = None) -> None:
    """Print the references a Solution, OperatingPoint (or list of keys) rests on."""
    text = format_citations(obj)
    print(text if text else "(no citations recorded)", file=file or sys.stdout)
