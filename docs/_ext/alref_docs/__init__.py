"""Sphinx extension of the alref docs: writes the generated pages before the build reads.

* ``generated/scenario-reference.md`` from the scenario schema (`schema_ref`);
* ``generated/cli-reference.md`` from the typer app's click commands (`cli_ref`);
* ``generated/provenance.md`` from the packaged data files (`provenance`);
* ``generated/validation-parity.md`` and its PNGs from `alref.api.validate` (`parity`);
* the lenient BibTeX style ``alref`` (`bibstyle`) for the references of the .bib files.

Pages are rewritten only when their text changes, so an incremental build stays fast.
Set ``ALREF_DOCS_VALIDATE=0`` to skip running the validation cases (the parity page then
says it was not generated; CI always runs them).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alref_docs import bibstyle, cli_ref, parity, provenance, schema_ref


def write_if_changed(path: Path, text: str | bytes) -> None:
    """Write `path` unless it already holds exactly `text`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def generate(app: Any) -> None:
    out = Path(app.srcdir) / "generated"
    write_if_changed(out / "scenario-reference.md", schema_ref.page())
    write_if_changed(out / "cli-reference.md", cli_ref.page())
    write_if_changed(out / "provenance.md", provenance.page())
    run = os.environ.get("ALREF_DOCS_VALIDATE", "1") != "0"
    text, images = parity.page(run)
    for name, png in images.items():
        write_if_changed(out / "parity" / name, png)
    write_if_changed(out / "validation-parity.md", text)


def setup(app: Any) -> dict[str, Any]:
    bibstyle.register()
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
