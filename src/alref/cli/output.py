"""Human output of the CLI: tables that fit the terminal and validity warnings on stderr.

Tables (`fit_table`): identifier columns never wrap or shrink (their width is their longest
value, so ``COLUMNS=80`` never cuts a scenario, scrap, parameter or case id); descriptions
wrap at word boundaries; numbers are right-aligned and formatted by `alref.numfmt`. The box
is light (two characters between columns) so more of the width goes to the text.

Warnings (`validity_warnings`, applied to every command by `alref.cli`): RangeWarnings
raised while a command runs and the warnings a service reports in its result
(`note_warnings`) are collapsed (`alref.validity.collapse`: one line per correlation and
input, with the worst value) and printed on stderr after the command's output, never on
stdout (so ``--json`` stays one JSON object). ``ALREF_NO_WARNINGS=1`` silences them.
"""

from __future__ import annotations

import contextvars
import functools
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from alref import numfmt
from alref.validity import collapse

F = TypeVar("F", bound=Callable[..., Any])
_NOTED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("alref_cli_warnings",
                                                                         default=None)


@dataclass(frozen=True)
class Col:
    """A table column: `kind` is ``id`` (never cut), ``text`` (wraps), ``num`` (right)."""

    header: str
    kind: str = "text"
    key: str = ""  # JSON key whose unit picks the number format (numfmt.value)


GAP = 2  # characters between columns (box.SIMPLE_HEAD with collapsed padding)
EDGE = 2  # the box's left and right edge characters (blank in box.SIMPLE_HEAD)
MIN_TEXT = 24  # narrowest useful width of a wrapping text column
INDENT = 4  # indent of the continuation lines of the stacked layout


def fit_table(title: str, columns: Sequence[Col], rows: Iterable[Sequence[Any]],
              width: int | None = None) -> Any:
    """A table whose identifier and number columns are never cut (module docstring).

    When they do not fit the terminal side by side (with room for the text columns), the
    stacked layout is used: the leading columns that fit stay a table, the others follow
    each row as indented ``header: value`` lines that wrap at word boundaries."""
    from alref.cli._common import console

    body = [[_cell(v, c) for v, c in zip(row, columns, strict=True)] for row in rows]
    width = (width or console.width) - EDGE
    widths = [max([len(c.header)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    need = [w if c.kind != "text" else min(w, MIN_TEXT) for w, c in zip(widths, columns, strict=True)]
    if sum(need) + GAP * (len(columns) - 1) <= width:
        return _table(title, columns, body, widths)
    keep, used = 0, 0
    for i, c in enumerate(columns):
        extra = need[i] + (GAP if i else 0)
        if c.kind == "text" or used + extra > width:
            break
        keep, used = i + 1, used + extra
    keep = max(keep, 1)
    return _stacked(title, columns, body, widths, keep, width)


def _table(title: str, columns: Sequence[Col], body: list[list[str]], widths: list[int]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True, padding=(0, GAP // 2))
    for c, w in zip(columns, widths, strict=True):
        if c.kind == "text":
            table.add_column(c.header, overflow="fold", ratio=1, min_width=min(w, MIN_TEXT))
        else:
            table.add_column(c.header, no_wrap=True, min_width=w,
                             justify="right" if c.kind == "num" else "left")
    for r in body:
        table.add_row(*(escape(x) for x in r))
    return table


def _stacked(title: str, columns: Sequence[Col], body: list[list[str]], widths: list[int],
             keep: int, width: int) -> Any:
    import textwrap

    from rich.console import Group
    from rich.text import Text

    def line(cells: Sequence[str]) -> str:
        parts = [cell.rjust(w) if c.kind == "num" else cell.ljust(w)
                 for cell, w, c in zip(cells, widths[:keep], columns[:keep], strict=True)]
        return (" " * GAP).join(parts).rstrip()

    out = [Text(title, style="italic"), Text(line([c.header for c in columns[:keep]]),
                                             style="bold")]
    rest = [c.header for c in columns[keep:]]
    out.append(Text("    then: " + " · ".join(rest), style="dim"))
    out.append(Text("─" * min(width, sum(widths[:keep]) + GAP * (keep - 1))))
    for r in body:
        out.append(Text(line(r[:keep]), no_wrap=True, overflow="fold"))
        extra = " · ".join(f"{h}: {v}" for h, v in zip(rest, r[keep:], strict=True) if v)
        if extra:
            for wrapped in textwrap.wrap(extra, width=max(width - INDENT, 20),
                                         break_long_words=False, break_on_hyphens=False):
                out.append(Text(" " * INDENT + wrapped, no_wrap=True, overflow="fold"))
    return Group(*out)


def _cell(value: Any, col: Col) -> str:
    if isinstance(value, str):
        return value
    if col.kind == "num" or isinstance(value, float | int | bool) or value is None:
        return numfmt.value(value, col.key)
    return numfmt.value(value, col.key)


# ------------------------------------------------------------------ validity warnings
def note_warnings(messages: Iterable[str]) -> None:
    """Report warnings a service returned (e.g. a Solution's ``summary["warnings"]``); they
    are printed, collapsed, on stderr when the command ends."""
    noted = _NOTED.get()
    if noted is not None:
        noted.extend(str(m) for m in messages)


def print_warnings(messages: Sequence[str]) -> None:
    """Collapsed warnings, one per line on stderr (``warning: ...``)."""
    from alref.cli._common import err_console

    lines = collapse(messages)
    if not lines or os.environ.get("ALREF_NO_WARNINGS"):
        return
    for line in lines:
        err_console.print(f"warning: {line}", markup=False, highlight=False, soft_wrap=True)


def validity_warnings(fn: F) -> F:
    """Wrap a command: collect RangeWarnings and noted warnings while it runs; print them
    collapsed on stderr when it finishes (also on exit 1 with output, e.g. a failed
    validation; not when it fails on bad input, whose one line stands alone)."""
    from alref.validity import RangeWarning

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = _NOTED.set([])
        ok = False
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RangeWarning)
                try:
                    result = fn(*args, **kwargs)
                    ok = True
                    return result
                except typer.Exit as exc:
                    ok = exc.exit_code in (0, 1, None) and bool(_NOTED.get() or caught)
                    raise
        finally:
            noted = _NOTED.get() or []
            _NOTED.reset(token)
            if ok:
                raised = [str(w.message) for w in caught if issubclass(w.category, RangeWarning)]
                print_warnings([*noted, *raised])

    return wrapper  # type: ignore[return-value]


def wrap_commands(app: typer.Typer) -> None:
    """Apply `validity_warnings` to every command of `app` and its sub-apps."""
    for cmd in app.registered_commands:
        if cmd.callback is not None and not getattr(cmd.callback, "_alref_warns", False):
            cmd.callback = validity_warnings(cmd.callback)
            cmd.callback._alref_warns = True  # type: ignore[attr-defined]
    for group in app.registered_groups:
        if group.typer_instance is not None:
            wrap_commands(group.typer_instance)
