"""Shared CLI plumbing: JSON output, error-to-exit-code mapping, rich tables.

Contract (ARCHITECTURE.md §6): `--json` prints one JSON object on stdout and nothing
else; exit 0 on success, 2 on bad input (one line on stderr naming the key), 1 on an
internal error. Set ALREF_DEBUG=1 to see tracebacks.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import os
import sys
import typing
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from alref.errors import AlrefError, ConfigError
from alref.report.jsonsafe import NonFiniteError, to_jsonable
from alref.validity import RangeWarning

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)


def emit_json(obj: Mapping[str, Any]) -> None:
    """Print one JSON object on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, allow_nan=False) + "\n")


#: the longest error line printed (a value echoed in a message is cut, not the key)
MAX_ERROR_CHARS = 1000
BUG_HINT = ("this is a bug in alref: please report it with the command line "
            "(ALREF_DEBUG=1 shows the traceback)")


def one_line(message: str) -> str:
    """`message` on one line (newlines and runs of blanks folded), at most MAX_ERROR_CHARS."""
    text = " ".join(str(message).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 3] + "..."


def fail_line(message: str) -> None:
    """Print ``error: <message>`` as one line on stderr."""
    sys.stderr.write(f"error: {one_line(message)}\n")
    sys.stderr.flush()


def internal_error_line(exc: BaseException) -> str:
    """The one line of an internal error: its class, its message and the bug-report hint."""
    return f"internal error ({exc.__class__.__name__}: {one_line(str(exc))[:300]}); {BUG_HINT}"


def shown_key(key: str) -> str:
    """A key as printed first on an error line: as given, or quoted (repr) when it is empty,
    holds blanks, control characters or a colon, so the line still names it."""
    text = str(key)
    if text and text.isprintable() and not any(c.isspace() or c == ":" for c in text):
        return text
    return repr(text)[:200]


def fail(message: str, code: int) -> None:
    """Print one line on stderr and exit."""
    fail_line(message)
    raise typer.Exit(code)


#: ranges of the integer options, by parameter name (declared once for every command): sample
#: counts and workers are bounds on time and memory, seeds the range every sampler accepts
INT_OPTIONS: dict[str, tuple[int, int]] = {
    "n": (1, 1_000_000), "seed": (0, 2**32 - 1), "workers": (1, 1024),
    "chunk_size": (0, 1_000_000), "reference": (1, 10_000), "batch": (1, 1_000_000),
    "mc_samples": (0, 1_000_000), "mc_sims": (0, 1000),
}


def _option_name(fn: Callable[..., Any], name: str) -> str:
    """The command-line name of parameter `name` of command `fn` (``--out``, ``SCENARIO``)."""
    infos = [inspect.signature(fn).parameters[name].default]
    try:  # typer.Argument / typer.Option given in an Annotated[...] hint
        hint = typing.get_type_hints(fn, include_extras=True).get(name)
        infos += list(getattr(hint, "__metadata__", ()))
    except Exception:  # unresolvable hints: the default alone
        pass
    for info in infos:
        decls = [d for d in getattr(info, "param_decls", ()) or () if d.startswith("--")]
        if decls:
            return decls[0]
        if type(info).__name__ == "ArgumentInfo":
            return name.upper()
    return "--" + name.replace("_", "-")


def check_arguments(fn: Callable[..., Any], kwargs: Mapping[str, Any]) -> None:
    """Refuse empty text (never taken as "use the default": omit the option for that) and
    integers outside `INT_OPTIONS`; ConfigError naming the option."""
    params = inspect.signature(fn).parameters
    for name, value in kwargs.items():
        declared = getattr(params[name].default, "default", None) if name in params else None
        if isinstance(value, str) and not value.strip() and value != declared:
            raise ConfigError(_option_name(fn, name), "empty value (an empty value is never "
                                                      "taken as the default)")
        if isinstance(value, list) and any(isinstance(v, str) and not v.strip() for v in value):
            raise ConfigError(_option_name(fn, name), "empty value")
        if isinstance(value, int) and not isinstance(value, bool) and name in INT_OPTIONS:
            lo, hi = INT_OPTIONS[name]
            if not lo <= value <= hi:
                raise ConfigError(_option_name(fn, name),
                                  f"{value} is outside the range [{lo}, {hi}]")


#: scenario sections a command reads, for the commands that read only some of them; a
#: `--set` key in another section would change nothing and is refused, naming the commands
#: that read it. A scenario *file* may carry every section (one file serves all commands),
#: and `params list` / `params cite` show every key, so they take any key.
SECTIONS_READ: dict[str, frozenset[str]] = {
    "cell": frozenset({"name", "description", "cell", "electrolyte", "feed", "provenance"}),
    "simulate": frozenset({"name", "description", "cell", "electrolyte", "feed", "provenance",
                           "campaign"}),
}
SECTION_READERS: dict[str, str] = {
    "campaign": "simulate, assess and study use them", "economics": "assess uses them",
    "footprint": "assess uses them",
}


def check_set_keys(command: str, overrides: list[str] | tuple[str, ...] | None) -> None:
    """ConfigError naming a `--set` key that `command` does not read (and who reads it)."""
    sections = SECTIONS_READ.get(command)
    if sections is None:
        return
    for item in overrides or ():
        key = item.partition("=")[0].strip()
        section = key.split(".", 1)[0]
        if section and section not in sections and section in SECTION_READERS:
            raise ConfigError(key, f"'alref {command}' does not use {section} keys; "
                                   f"{SECTION_READERS[section]}")


def kwargs_path(kwargs: Mapping[str, Any], exc: OSError) -> str | None:
    """The path argument of a command that an OSError is about (the error's file is that
    path, inside it, a parent of it or beside it), or None."""
    names = [os.path.abspath(str(n)) for n in (exc.filename, exc.filename2) if n]
    values = [v for value in kwargs.values()
              for v in (value if isinstance(value, list | tuple) else [value])]
    for value in values:
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            continue
        v = os.path.abspath(value)
        for n in names:  # the path, a parent of it, a file in it or a temporary beside it
            if (n == v or n.startswith(v + os.sep) or v.startswith(n + os.sep)
                    or os.path.dirname(n) == os.path.dirname(v)):
                return value
    return None


def _path_option(fn: Callable[..., Any], kwargs: Mapping[str, Any], exc: OSError) -> str | None:
    value = kwargs_path(kwargs, exc)
    if value is None:
        return None
    name = next(k for k, v in kwargs.items()
                if v == value or (isinstance(v, list | tuple) and value in v))
    return _option_name(fn, name)


def handle_errors(fn: F) -> F:
    """Map exceptions to the exit codes of the CLI contract."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_arguments(fn, kwargs)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # warnings are reported in the output
                # ... and validity warnings on stderr (`alref.cli.output.validity_warnings`)
                warnings.simplefilter("always", RangeWarning)
                return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except ConfigError as exc:
            if os.environ.get("ALREF_DEBUG"):
                raise
            fail(f"{shown_key(exc.key)}: {exc.message}", 2)
        except AlrefError as exc:
            if os.environ.get("ALREF_DEBUG"):
                raise
            fail(f"{exc.__class__.__name__}: {exc}", 1)
        except OSError as exc:  # a path the user gave that cannot be read or written
            if os.environ.get("ALREF_DEBUG"):
                raise
            key = _path_option(fn, kwargs, exc)
            if key is None:
                fail(internal_error_line(exc), 1)
            fail(f"{key}: cannot use {str(kwargs_path(kwargs, exc))[:200]!r}: "
                 f"{exc.strerror or exc.__class__.__name__}", 2)
        except NonFiniteError as exc:  # the run stops, naming the key (a bug: report it)
            if os.environ.get("ALREF_DEBUG"):
                raise
            fail(f"{exc}; {BUG_HINT}", 1)
        except Exception as exc:  # internal error: still one line, exit 1
            if os.environ.get("ALREF_DEBUG"):
                raise
            fail(internal_error_line(exc), 1)
        return None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(label: str, percent: bool = True) -> Iterator[Callable[[float], None]]:
    """A transient progress bar on stderr; yields the callback that takes the fraction done.
    The bar appears on the first call, so input errors raised before the work starts print
    their one line alone."""
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn

    columns = [TextColumn(label), BarColumn()]
    if percent:
        columns.append(TextColumn("{task.percentage:>3.0f}%"))
    with _lazy_progress(*columns, TimeElapsedColumn(), total=1.0) as update:
        yield lambda x: update(min(x, 1.0), 1.0)


@contextmanager
def count_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A transient bar of items done out of a total (shown from the first call)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    with _lazy_progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), total=None) as update:
        yield update


@contextmanager
def _lazy_progress(*columns: Any, total: float | None) -> Iterator[Callable[[float, float], None]]:
    from rich.progress import Progress

    state: dict[str, Any] = {}

    def update(done: float, of: float) -> None:
        if "bar" not in state:
            state["bar"] = Progress(*columns, console=err_console, transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("run", total=total)
        state["bar"].update(state["task"], completed=done, total=of)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


def kv_table(title: str, rows: list[tuple[str, Any]]) -> Table:
    """A two-column rich table."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("quantity", style="bold")
    table.add_column("value")
    for name, value in rows:
        table.add_row(escape(name), escape(value if isinstance(value, str) else fmt(value, name)))
    return table


def fmt(value: Any, key: str = "") -> str:
    """Text of a value for the row or column named `key` (`alref.numfmt.value`)."""
    from alref import numfmt

    return numfmt.value(value, key)


def parse_composition_arg(text: str, key: str = "--composition") -> dict[str, float]:
    """Parse "NaF=40,AlF3=60" into {"NaF": 40.0, "AlF3": 60.0} (wt %)."""
    out: dict[str, float] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ConfigError(key, f"'{part}' is not NAME=VALUE")
        name, _, val = part.partition("=")
        name = name.strip()
        try:
            out[name] = float(val)
        except ValueError:
            raise ConfigError(f"{key}.{name}", f"'{val.strip()}' is not a number") from None
        if not math.isfinite(out[name]):
            raise ConfigError(f"{key}.{name}", "not a finite number")
    if not out:
        raise ConfigError(key, "empty composition")
    return out
