"""Parameter provenance tables, generated from the packaged data files.

Every numeric value of every ``alref/data/**/*.toml`` file with the reference key and
locator of its nearest provenance declaration, or the labelled assumption (the rule the
data-integrity test enforces: `alref.data.iter_numbers`). Long tables of one file are
folded into a <details> block so the page stays readable.
"""

from __future__ import annotations

from collections import OrderedDict

from alref import citations, data


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _short(key: str) -> str:
    try:
        return citations.get(key).short()
    except Exception:
        return key


def page() -> str:
    lines = [
        "# Parameter provenance",
        "",
        "*Generated from the data files in `src/alref/data/` when the docs are built; do not "
        "edit by hand.* Every number alref computes with comes from one of these files; each "
        "value carries the BibTeX key of its source and a locator (page, table, equation) or "
        "the label *assumption* with its reason. The references are listed in full on the "
        "[references page](../references.md). The parameters of one scenario, with the "
        "design values it overrides: `alref params list SCENARIO`; the references behind "
        "its result: `alref params cite SCENARIO`.",
        "",
    ]
    summary: list[tuple[str, int, int]] = []
    blocks: list[str] = []
    for name in data.list_files():
        if name.startswith("scenarios/") or name.startswith("validation/"):
            continue
        raw = data.load(name)
        groups: OrderedDict[tuple[str, str], list[tuple[str, object]]] = OrderedDict()
        for key, value, prov in data.iter_numbers(raw):
            if prov is None:
                label = ("(none)", "")
            elif "assumption" in prov:
                label = ("assumption", prov["assumption"])
            else:
                label = (prov["source"], prov.get("locator", ""))
            groups.setdefault(label, []).append((key, value))
        n = sum(len(v) for v in groups.values())
        if not n:
            continue
        assumed = sum(len(v) for (src, _), v in groups.items() if src == "assumption")
        summary.append((name, n, assumed))
        blocks += [f"## `{name}.toml`", "",
                   f"{n} values, {assumed} labelled assumptions.", "",
                   "<details><summary>values and sources</summary>" if n > 40 else "", "",
                   "| keys | values | source | locator or reason |", "|---|---|---|---|"]
        for (src, loc), items in groups.items():
            keys = ", ".join(f"`{k}`" for k, _ in items[:12])
            if len(items) > 12:
                keys += f" … ({len(items)} values)"
            vals = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for _, v in items[:6])
            if len(items) > 6:
                vals += ", …"
            source = src if src in ("assumption", "(none)") else f"`{src}`: {_short(src)}"
            blocks.append(f"| {_cell(keys)} | {_cell(vals)} | {_cell(source)} | {_cell(loc)} |")
        blocks.append("")
        if n > 40:
            blocks += ["</details>", ""]
    lines += ["| data file | values | assumptions |", "|---|---|---|"]
    lines += [f"| `{n}.toml` | {c} | {a} |" for n, c, a in summary]
    lines += ["", *blocks]
    return "\n".join(lines) + "\n"
