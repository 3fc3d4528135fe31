"""The HTML report of a run: ``clean-articles IN OUT --report report.html``.

One self-contained file (no network: its CSS and JavaScript, from
``cleaner/report_assets/``, are inlined). Per article it shows the text with
every removed span struck through and every inserted span underlined,
coloured by rule family (the code's letters: ``BP`` boilerplate, ``WS``
layout, ...); hovering a span shows the rule's code, name and safety. Above
the articles, a summary: files read, changed, guarded and failed, and per
rule its edits, findings (display-only rules, unsafe fixes not applied,
edits the damage guard withheld) and files, with filters by rule and by file.

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
from importlib import resources
from pathlib import Path

from .changelog import Edit
from .engine import CleanResult
from .runner import FileRun
from .textio import AtomicFile

#: Above this many characters an article's unchanged stretches are shortened.
MAX_ARTICLE_CHARS = 200_000
#: ... each kept stretch longer than this keeps its ends (ELIDE_KEEP characters each).
ELIDE_OVER = 2_000
ELIDE_KEEP = 400

Segment = list  # [kind, text, edit index or -1]


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
    findings: list[list] = field(default_factory=list)
    chars: int = 0

    def add(self, text: str, result: CleanResult) -> None:
        """One piece of the article, as read and as cleaned (``clean_file``'s ``on_piece``)."""
        self.segments.extend(segments(text, result.edits, len(self.edits)))
        self.edits.extend([e.code, e.name, e.safety, e.message] for e in result.edits)
        self.findings.extend(
            [e.line, e.column, e.code, e.name, e.safety, e.message, e.before[:300]]
            for e in result.findings
        )
        self.chars += len(text)


class HtmlReport:
    """Writes the report as the run goes: :meth:`finish` per article.

    :meth:`close` writes the summary and renames the file into place;
    :meth:`abort` discards it.
    """

    def __init__(self, path: Path, title: str = "clean-articles report") -> None:
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
            f"<header><h1>{html.escape(title)}</h1></header>\n"
            '<section id="summary"></section>\n<section id="controls"></section>\n'
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
        }
        self._write(
            f'<script type="application/json" id="index">{_script_json(summary)}</script>\n'
            f"</div>\n<script>\n{_asset('report.js')}</script>\n</body></html>\n"
        )
        self._out.commit()

    def abort(self) -> None:
        self._out.abort()
