"""Optional dependencies ("extras") and the message when one is missing.

The core (`numpy`, `scipy`, `pydantic`, `pint`) is always installed; tables, plots and
run folders need the ``report`` extra, studies the ``study`` extra, the CALPHAD route the
``calphad`` extra (see ``pyproject.toml``). They are imported where they are used, never
by ``import alref``, and a missing one raises `MissingExtraError` (an ImportError) that
says what to install.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from types import ModuleType

#: top-level module -> the extra of ``pyproject.toml`` that installs it
EXTRA_OF: dict[str, str] = {
    "pandas": "report",
    "pyarrow": "report",
    "matplotlib": "report",
    "jinja2": "report",
    "SALib": "study",
    "duckdb": "study",
    "dask": "study",
    "distributed": "study",
    "pycalphad": "calphad",
    "openpyxl": "report",
}


class MissingExtraError(ImportError):
    """An optional dependency of alref is not installed."""


def hint(module: str, purpose: str) -> str:
    """The one-line message for a missing optional `module` needed for `purpose`."""
    top = module.split(".")[0]
    extra = EXTRA_OF.get(top)
    install = f'pip install "alref[{extra}]"' if extra else f"pip install {top}"
    return f"{purpose} needs {top}, which is not installed: {install}"


@contextlib.contextmanager
def needs_extras(purpose: str) -> Iterator[None]:
    """Turn the ImportError of a missing optional module inside the block into a
    `MissingExtraError` naming the extra to install; other errors pass through."""
    try:
        yield
    except ImportError as exc:
        if isinstance(exc, MissingExtraError):
            raise
        name = (exc.name or "").split(".")[0]
        if name not in EXTRA_OF:
            raise
        raise MissingExtraError(hint(name, purpose), name=name) from exc


def require(module: str, purpose: str) -> ModuleType:
    """Import an optional `module` (e.g. ``"matplotlib.pyplot"``) for `purpose`."""
    with needs_extras(purpose):
        return importlib.import_module(module)


def missing(modules: Iterable[str]) -> list[str]:
    """The top-level names of `modules` that cannot be imported (without importing them)."""
    out = []
    for module in modules:
        top = module.split(".")[0]
        try:
            found = importlib.util.find_spec(top) is not None
        except (ImportError, ValueError):
            found = False
        if not found and top not in out:
            out.append(top)
    return out


def ensure(modules: Iterable[str], purpose: str, key: str) -> None:
    """Check, before any work starts, that optional `modules` are installed: a ConfigError
    naming `key` (a CLI option; exit 2) with the exact ``pip install "alref[...]"`` line
    otherwise."""
    gone = missing(modules)
    if not gone:
        return
    extras = sorted({EXTRA_OF.get(m, m) for m in gone})
    known = [e for e in extras if e in EXTRA_OF.values()]
    others = [e for e in extras if e not in known]
    parts = ([f'pip install "alref[{",".join(known)}]"'] if known else []) + \
        [f"pip install {o}" for o in others]
    from alref.errors import ConfigError

    raise ConfigError(key, f"{purpose} needs {', '.join(gone)}, which "
                      f"{'is' if len(gone) == 1 else 'are'} not installed: {' && '.join(parts)}")
