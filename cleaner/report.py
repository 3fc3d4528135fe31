"""The HTML report of a run: ``clean-articles IN OUT --report report.html``.

One self-contained file (no network: its CSS and JavaScript, from
``cleaner/report_assets/``, are inlined). At the top, the run: command line,
version, IN/OUT, date and totals. Per article, at full height and collapsible,
the text with every removed span struck through and every inserted span
underlined, coloured by rule family (the code's first two letters: ``BP``
boilerplate, ``WS`` layout, ...; :data:`FAMILY_COLOURS`); findings that were
not applied are marked in place with their proposed replacement
(``she → it``); hovering a span shows the rule's code, name and safety.
Above the articles, the summary: per rule its edits, findings (display-only
rules, unsafe fixes not applied, edits the damage guard withheld; notes) and
files, and a table of the files. The summary is plain HTML, written when the
run ends, so it reads without JavaScript; the script draws the articles and
the filters by rule and by file.

Built for 10,000 articles: each article is written into the file as soon as
it is cleaned, as its own JSON block (``<script type="application/json">``),
so the run holds one article at a time; the page parses and draws only the
articles of the current page (25 at a time). An article above
:data:`MAX_ARTICLE_CHARS` has its long unchanged stretches elided.

Segments: the engine's edits are replayed pass by pass over a list of
segments ``[kind, text, edit]`` (``k`` kept, ``d`` deleted, ``i`` inserted,
``e`` elided), so the kept and deleted segments spell the input and the kept
and inserted ones spell the output (text a later pass removed again is not
shown). See :func:`segments`.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from . import __version__
from .atomic import AtomicFile
from .changelog import Edit
from .engine import CleanResult
from .runner import FileRun

#: Above this many characters an article's unchanged stretches are shortened.
MAX_ARTICLE_CHARS = 200_000
#: ... each kept stretch longer than this keeps its ends (ELIDE_KEEP characters each).
ELIDE_OVER = 2_000
ELIDE_KEEP = 400

Segment = list  # [kind, text, edit index or -1]

#: A colour per rule family (the first two letters of the code), each with a contrast
#: of at least 4.5:1 on white and hues at least 30 degrees apart (tests/test_report.py).
FAMILY_COLOURS = {
    "BP": "#c2410c",  # boilerplate: orange
    "MJ": "#be123c",  # mojibake: rose
    "TR": "#a21caf",  # translation: magenta
    "ND": "#6d28d9",  # near-duplicates: violet
    "WS": "#1d4ed8",  # layout: blue
    "GL": "#0e7490",  # glossary: teal
    "RP": "#15803d",  # fragment repair: green
    "SG": "#4d7c0f",  # suggested rules: olive
    "BD": "#475569",  # body trim: slate
}
#: Families not in the table (notes, your own packs): a neutral dark grey.
OTHER_COLOUR = "#57534e"


def family_colour(code: str) -> str:
    """The colour of a rule code's family (``BPDE123`` is boilerplate: ``BP``)."""
    return FAMILY_COLOURS.get(code[:2], OTHER_COLOUR)


@dataclass(frozen=True)
class RunInfo:
    """What the report's header says about the run."""

    command: str  # the command line, as typed
    inputs: Sequence[str]  # IN, or the PATHs of --fix/--check/--diff
    output: str | None = None  # OUT (IN OUT mode)
    mode: str = "IN OUT"
    version: str = __version__
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def segments(original: str, edits: Sequence[Edit], first_ref: int = 0) -> list[Segment]:
    """``original`` as kept/deleted/inserted segments after the applied ``edits``.

    ``edits`` are one text's applied edits (any order); an edit's reference is
    ``first_ref`` plus its index in ``edits``.
    """
    segs: list[Segment] = [["k", original, -1]] if original else []
    passes: dict[int, list[tuple[int, Edit]]] = {}
    for n, edit in enumerate(edits):
        if edit.applied and not edit.is_note:
            passes.setdefault(edit.pass_index, []).append((first_ref + n, edit))
    for index in sorted(passes):
        segs = _apply_pass(segs, sorted(passes[index], key=lambda p: (p[1].start, p[1].end)))
    return segs


def _apply_pass(segs: list[Segment], edits: list[tuple[int, Edit]]) -> list[Segment]:
    bounds = sorted({e.start for _r, e in edits} | {e.end for _r, e in edits})
    # Cut the visible segments (kept, inserted) at every edit boundary.
    cut: list[tuple[Segment, int]] = []  # (segment, visible start; -1 for deleted)
    pos = 0
    b = 0
    for seg in segs:
        if seg[0] == "d":
            cut.append((seg, -1))  # takes no room in this pass's text
            continue
        text = seg[1]
        start = pos
        while b < len(bounds) and bounds[b] <= start:
            b += 1
        offset = 0
        while b < len(bounds) and bounds[b] < start + len(text):
            split = bounds[b] - start
            cut.append(([seg[0], text[offset:split], seg[2]], start + offset))
            offset = split
            b += 1
        cut.append(([seg[0], text[offset:], seg[2]], start + offset))
        pos = start + len(text)
    out: list[Segment] = []
    k = 0
    emitted: set[int] = set()

    def insert(ref: int, edit: Edit) -> None:
        if ref not in emitted:
            emitted.add(ref)
            if edit.after:
                out.append(["i", edit.after, ref])

    for seg, at in cut:
        if at < 0:
            out.append(seg)
            continue
        # Edits that ended here (a pure insertion at `at` too): their text goes in first.
        while k < len(edits) and edits[k][1].end <= at:
            insert(*edits[k])
            k += 1
        if k < len(edits) and edits[k][1].start <= at < edits[k][1].end:
            if seg[0] == "k":
                out.append(["d", seg[1], edits[k][0]])
            # inserted by an earlier pass and removed by this one: neither input nor output
            continue
        out.append(seg)
    for ref, edit in edits[k:]:
        insert(ref, edit)
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _mark_findings(segs: list[Segment], spans: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut each finding's span of the input out of the kept text it lies in, as an
    ``f`` segment (kept text too: it spells both the input and the output).

    ``spans`` are (start, end, finding reference) in input offsets; one that is not
    wholly inside a kept segment (it overlaps an edit or another finding) stays
    only in the list below the article.
    """
    if not spans:
        return segs
    out: list[Segment] = []
    pending = sorted(spans)
    k = 0
    pos = 0  # input offset at the start of the current segment
    for seg in segs:
        kind, text = seg[0], seg[1]
        if kind != "k":
            out.append(seg)
            pos += len(text) if kind == "d" else 0
            continue
        end = pos + len(text)
        cursor = pos
        while k < len(pending) and pending[k][0] < end:
            start, stop, ref = pending[k]
            k += 1
            if start < cursor or stop > end or stop <= start:
                continue
            if start > cursor:
                out.append(["k", text[cursor - pos : start - pos], -1])
            out.append(["f", text[start - pos : stop - pos], ref])
            cursor = stop
        if cursor < end:
            out.append(["k", text[cursor - pos :], -1])
        pos = end
    return out


def _elide(segs: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segs:
        if seg[0] == "k" and len(seg[1]) > ELIDE_OVER:
            text = seg[1]
            hidden = len(text) - 2 * ELIDE_KEEP
            out.append(["k", text[:ELIDE_KEEP], -1])
            out.append(["e", f"[… {hidden:,} unchanged characters not shown …]", -1])
            out.append(["k", text[-ELIDE_KEEP:], -1])
        else:
            out.append(seg)
    return out


def _script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    return (resources.files("cleaner") / "report_assets" / name).read_text(encoding="utf-8")


@dataclass
class ReportArticle:
    """What the report shows of one article, gathered piece by piece where it is
    cleaned (possibly in a worker process: it is small and picklable) and
    handed to :meth:`HtmlReport.finish`."""

    shown: str
    segments: list[Segment] = field(default_factory=list)
    edits: list[list] = field(default_factory=list)  # [code, name, safety, message]
    #: [line, column, code, name, safety, message, before, after]: ``before`` quoted from
    #: the input; segments of kind ``f`` (a finding in place) refer to these.
    findings: list[list] = field(default_factory=list)
    chars: int = 0
    lines: int = 0  # line breaks in the pieces so far (a finding's line is the file's)

    def add(self, text: str, result: CleanResult) -> None:
        """One piece of the article, as read and as cleaned (``clean_file``'s ``on_piece``)."""
        segs = segments(text, result.edits, len(self.edits))
        first_finding = len(self.findings)
        self.edits.extend([e.code, e.name, e.safety, e.message] for e in result.edits)
        for e in result.findings:
            before = e.original_text
            self.findings.append(
                [e.line, e.column, e.code, e.name, e.safety, e.message, before[:300], e.after[:300]]
            )
        starts = _line_starts(text)
        spans = []
        for n, e in enumerate(result.findings):
            local = e.line - 1 - self.lines
            if 0 <= local < len(starts) and e.original_text:
                start = starts[local] + e.column - 1
                spans.append((start, start + len(e.original_text), first_finding + n))
        self.segments.extend(_mark_findings(segs, spans))
        self.chars += len(text)
        self.lines += text.count("\n")


class HtmlReport:
    """Writes the report as the run goes: :meth:`finish` per article.

    :meth:`close` writes the summary and renames the file into place;
    :meth:`abort` discards it.
    """

    def __init__(
        self, path: Path, run: RunInfo | None = None, title: str = "clean-articles report"
    ) -> None:
        self.path = path
        self._out = AtomicFile(path)
        self._count = 0
        self._index: list[list] = []  # per file: [shown, status, edits, findings, codes, reason]
        self._rules: dict[str, list] = {}  # code -> [name, safety, edits, findings, files]
        self._status: Counter = Counter()
        self._write(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n"
            # No network, ever: the policy forbids every fetch the page could attempt.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
            f"<style>\n{_asset('report.css')}</style>\n</head><body>\n"
            f"{_header(title, run)}"
            # The summary (#overview) is written at the end, when the totals are known;
            # the stylesheet shows it first.
            '<noscript><p class="noscript">JavaScript is off: the summary and the table of '
            "files below are complete; the articles with their edits need JavaScript."
            "</p></noscript>\n"
            '<section id="controls"></section>\n'
            '<main id="articles"></main>\n<nav id="pager"></nav>\n<div id="data" hidden>\n'
        )

    def _write(self, text: str) -> None:
        self._out.write(text.encode("utf-8"))

    def finish(self, run: FileRun, article: ReportArticle | None = None) -> None:
        """Write one article (also a failed one, with its reason)."""
        article = article or ReportArticle(run.shown)
        segs = article.segments
        if article.chars > MAX_ARTICLE_CHARS:
            segs = _elide(segs)
        notes = [[n.code, n.name, n.message] for n in run.notes]
        codes = Counter(e[0] for e in article.edits)
        found = Counter(f[2] for f in article.findings)
        for code, name, safety, *_ in article.edits:
            self._rule(code, name, safety)[2] += 1
        for _line, _col, code, name, safety, *_ in article.findings:
            self._rule(code, name, safety)[3] += 1
        for code in set(codes) | set(found):
            self._rules[code][4] += 1
        for note in run.notes:
            self._rule(note.code, note.name, note.safety)[3] += 1
            self._rules[note.code][4] += 1
        record = {
            "f": run.shown,
            "s": run.status,
            "r": run.reason,
            "g": segs,
            "e": article.edits,
            "x": article.findings,
            "n": notes,
        }
        self._write(
            f'<script type="application/json" id="a{self._count}">{_script_json(record)}</script>\n'
        )
        all_codes = sorted(set(codes) | set(found) | {n[0] for n in notes})
        self._index.append(
            [run.shown, run.status, len(article.edits), len(article.findings), all_codes]
        )
        self._status[run.status] += 1
        self._count += 1

    def _rule(self, code: str, name: str, safety: str) -> list:
        return self._rules.setdefault(code, [name, safety, 0, 0, 0])

    def close(self) -> None:
        """Write the summary and the page's script; put the file in place."""
        summary = {
            "files": self._index,
            "rules": self._rules,
            "status": dict(self._status),
            "colours": {code: family_colour(code) for code in self._rules},
        }
        self._write(
            f'<script type="application/json" id="index">{_script_json(summary)}</script>\n'
            f"</div>\n{_overview(self._index, self._rules, self._status)}"
            f"<script>\n{_asset('report.js')}</script>\n</body></html>\n"
        )
        self._out.commit()

    def abort(self) -> None:
        self._out.abort()


# --- server-rendered parts: the header and the summary (readable without JavaScript) ---


def _header(title: str, run: RunInfo | None) -> str:
    rows = []
    if run is not None:
        rows = [
            ("command", f"<code>{html.escape(run.command)}</code>"),
            ("version", f"clean-articles {html.escape(run.version)}"),
            ("mode", html.escape(run.mode)),
            ("input", ", ".join(f"<code>{html.escape(p)}</code>" for p in run.inputs)),
        ]
        if run.output is not None:
            rows.append(("output", f"<code>{html.escape(run.output)}</code>"))
        rows.append(("date", f'<time datetime="{run.started}">{run.started}</time>'))
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<header id="run"><h1>{html.escape(title)}</h1>'
        + (f'<table class="run">{table}</table>' if table else "")
        + "</header>\n"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else noun + 's'}"


def _swatch(code: str) -> str:
    return f'<i class="swatch" style="--c:{family_colour(code)}"></i>'


def _overview(index: list[list], rules: dict[str, list], status: Counter) -> str:
    """Totals, the rules table and the files table, as plain HTML."""
    edits = sum(row[2] for row in index)
    findings = sum(row[3] for row in index)
    totals = [
        _plural(len(index), "file"),
        f"{status['cleaned']:,} changed",
        f"{status['unchanged'] + status['empty']:,} unchanged",
        f"{status['guarded']:,} left unchanged by the damage guard",
        f"{status['failed']:,} failed",
        _plural(edits, "edit"),
        f"{_plural(findings, 'finding')} not applied",
    ]
    rule_rows = "".join(
        f'<tr data-code="{html.escape(code)}"><td>{_swatch(code)}{html.escape(code)}</td>'
        f"<td>{html.escape(name)}</td><td>{html.escape(safety)}</td>"
        f'<td class="n">{n_edits:,}</td><td class="n">{n_found:,}</td>'
        f'<td class="n">{n_files:,}</td></tr>'
        for code, (name, safety, n_edits, n_found, n_files) in sorted(rules.items())
    )
    legend = "".join(
        f"<span>{_swatch(fam)}{fam}</span>" for fam in sorted({code[:2] for code in rules})
    )
    file_rows = "".join(
        f'<tr data-file="{html.escape(shown)}"><td><code>{html.escape(shown)}</code></td>'
        f'<td><span class="status {html.escape(state)}">{html.escape(state)}</span></td>'
        f'<td class="n">{n_edits:,}</td><td class="n">{n_found:,}</td>'
        f"<td>{html.escape(' '.join(codes))}</td></tr>"
        for shown, state, n_edits, n_found, codes in index
    )
    return (
        '<section id="overview">\n'
        f'<p class="totals">{"".join(f"<span>{t}</span>" for t in totals)}</p>\n'
        "<h2>Rules</h2>\n"
        '<p class="explain"><b>edits</b>: changes made. <b>findings</b>: not applied, '
        "shown in place with the fix they propose: display-only rules, unsafe fixes "
        "(applied with <code>--unsafe-fixes</code>), edits the damage guard withheld, "
        "and notes. <b>files</b>: articles the rule fired in. Click a rule to show only "
        "its articles.</p>\n"
        '<table id="rules"><thead><tr><th>code</th><th>name</th><th>safety</th>'
        '<th class="n">edits</th><th class="n">findings</th><th class="n">files</th>'
        f"</tr></thead><tbody>{rule_rows}</tbody></table>\n"
        f'<p class="legend">Rule families: {legend}</p>\n'
        f'<details id="files"><summary>Files ({len(index):,})</summary>'
        '<table><thead><tr><th>file</th><th>status</th><th class="n">edits</th>'
        '<th class="n">findings</th><th>rules</th></tr></thead>'
        f"<tbody>{file_rows}</tbody></table></details>\n"
        "</section>\n"
    )
