"""Sphinx configuration of the alref documentation (offline: no intersphinx, no remote assets).

Build: ``sphinx-build -W -b html docs docs/_build/html`` (needs ``pip install -e ".[docs]"``).
Generated pages (scenario reference, CLI reference, provenance tables, parity plots) are
written into ``docs/generated/`` by the local extension ``_ext/alref_docs.py`` when the
build starts; the example gallery is executed by sphinx-gallery from ``examples/gallery/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(ROOT / "src"))

from alref.version import __version__  # noqa: E402

project = "alref"
author = "alref developers"
copyright = "alref developers (MIT licence)"
release = __version__
version = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax served from _static, not from a CDN: builds and reads offline
    "sphinxcontrib.bibtex",
    "sphinx_gallery.gen_gallery",
    "alref_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json",
                    "auto_examples/*.md5", "auto_examples/*.pickle"]

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# the engineers' research notes (docs/research/) start their sections at level 2 after a
# level-1 title and jump levels in places; that is not an error of the site
suppress_warnings = ["myst.header"]

# --- bibliography: the same BibTeX files the code cites from ---------------------------
bibtex_bibfiles = sorted(
    os.path.relpath(p, HERE) for p in (ROOT / "src/alref/data/references").glob("*.bib")
)
bibtex_default_style = "alref"
bibtex_reference_style = "author_year"

# --- autodoc ---------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {
    "members": True,
    "exclude-members": "model_config, model_fields, model_computed_fields",
}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
# docstrings are written for readers of the code: their `name` references are not all
# resolvable targets
default_role = "code"

# --- example gallery --------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples" / "gallery"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "show_memory": False,
    # the computation-times page loads jQuery/DataTables from CDNs: not written (the times are
# in each example's page; tests/docs reads them there)
    "write_computation_times": False,
    "plot_gallery": os.environ.get("ALREF_DOCS_GALLERY", "True"),
}

# --- HTML ---------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"alref {__version__}"
html_static_path = ["_static"]
html_css_files = ["alref.css"]
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "icon_links": [],
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# the generated reference pages are wide tables: no left sidebar there
html_sidebars = {"generated/*": [], "index": [], "getting-started": [],
                 "examples": [], "citing": [], "references": [], "api": []}
html_show_sourcelink = False
html_copy_source = False
