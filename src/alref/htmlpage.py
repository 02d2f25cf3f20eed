"""What every alref HTML report shares: one Jinja2 environment, one stylesheet
(``alref/templates/report.css``, inlined), the header (title, scenario, hash, version) with its
warnings block, and the references rendered readably with their DOIs (`base.html.j2`).

Run reports (`alref.report.html`), study reports (`alref.study.report`) and comparison
reports (`alref.report.compare_html`) extend ``base.html.j2``. A base-layer module (the
study layer writes its report below `alref.report`); jinja2 is imported on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from alref import citations, numfmt
from alref.errors import DataError
from alref.validity import collapse
from alref.version import __version__


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The shared CSS (inlined in every report, so a report is one self-contained file)."""
    return resources.files("alref").joinpath("templates/report.css").read_text("utf-8")


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment of the report templates (autoescaped, strict)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("alref", "templates"),
                                    jinja2.PackageLoader("alref.report", "templates")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = numfmt.value
    env.filters["label"] = numfmt.label
    return env


def references(keys: Iterable[str]) -> list[dict[str, str | None]]:
    """Readable references (authors, year, title, container, pages) with DOIs, sorted by key;
    a key missing from the bundled bibliography is shown alone."""
    out = []
    for key in sorted(set(keys)):
        try:
            ref = citations.get(key)
        except DataError:
            out.append({"key": key, "text": key, "doi": None})
            continue
        out.append({"key": key, "text": ref.formatted(), "doi": ref.doi})
    return out


def base_context(title: str, meta: Sequence[tuple[str, Any]], warnings: Iterable[str] = (),
                 citation_keys: Iterable[str] = ()) -> dict[str, Any]:
    """Context of ``base.html.j2``: title, header meta line (alref version appended),
    collapsed validity warnings, references and the stylesheet."""
    return {
        "title": title,
        "header_meta": [(k, v) for k, v in meta if v not in (None, "")]
        + [("alref", __version__)],
        "warnings": collapse(warnings),
        "references": references(citation_keys),
        "stylesheet": stylesheet(),
        "alref_version": __version__,
    }


def render(template: str, context: dict[str, Any]) -> str:
    """Render one of the report templates."""
    return environment().get_template(template).render(**context)
