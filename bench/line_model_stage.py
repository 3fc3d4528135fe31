"""Would the learned line classifier help as a stage of body detection? Measure before wiring.

``cleaner/line_model.py`` is not wired into the engine. This measures what
it would do as a last stage on the cleaned output, on everything the
decision must not hurt: the benchmarks (dev and held-out apart), and real
article bodies with injected debris (``bench/injected.py``), where every
line the stage drops that the body has is article text lost.

Two forms, each at a threshold (a line the model gives less goes):

- ``any``: every line below the threshold (holes in the middle too);
- ``edges``: only from the top and the bottom, repeated until the first and
  last lines pass (a fixpoint by construction: applying it again drops
  nothing, which the engine's rounds need).

    .venv/bin/python bench/line_model_stage.py [--thresholds 0.1 0.2]

The model's weights were fitted on the AEB dev pages, so its AEB dev figures
here are in-sample (the cross-validated ones are in ``rules/body/line-model.json``);
trafilatura pages and injected-debris bodies were never used to fit it.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from injected import inject
from injected import score as edit_score
from quality import AEB, SCORE, TRAF, clean
from splits import held_out

from cleaner.kinds.body_trim import stoplist
from cleaner.language import detect
from cleaner.line_model import MODEL_FILE, line_features, load, probability
from cleaner.loader import default_rules_dir

STOPLISTS = str(default_rules_dir() / MODEL_FILE.parent / "stoplists")


def probabilities(model: dict, lines: list[str]) -> list[float]:
    lang = detect("\n".join(lines)) or ""
    stops = stoplist(STOPLISTS, lang) if lang else frozenset()
    return [probability(model, row) for row in line_features(lines, stops)]


def stage(model: dict, text: str, form: str, threshold: float) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    if form == "any":
        kept = [
            x for x, pr in zip(lines, probabilities(model, lines), strict=True) if pr >= threshold
        ]
        return "\n".join(kept) + "\n"
    while lines:
        probs = probabilities(model, lines)
        top = next((i for i, pr in enumerate(probs) if pr >= threshold), len(lines))
        bottom = len(lines) - next(
            (i for i, pr in enumerate(reversed(probs)) if pr >= threshold), 0
        )
        if (top, bottom) == (0, len(lines)):
            break
        lines = lines[top:bottom]
    return "\n".join(lines) + "\n"


def run_score(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORE), *args, "--json"], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def scores(root: Path, out: str, side_held: bool) -> dict[str, float]:
    gold = root / f"gold-{out}-{side_held}"
    gold.mkdir()
    for path in sorted((AEB / "gold").glob("*.txt")):
        if held_out(path.name) == side_held:
            (gold / path.name).symlink_to(path)
    aeb = run_score("--shingles", "--gold", str(gold), "--output", str(root / out / "aeb"))
    snippets = json.loads((TRAF / "snippets.json").read_text(encoding="utf-8"))
    chosen = root / f"snippets-{out}-{side_held}.json"
    chosen.write_text(json.dumps({k: v for k, v in snippets.items() if held_out(k) == side_held}))
    traf = run_score("--snippets", str(chosen), "--output", str(root / out / "traf"))
    side = "held" if side_held else "dev"
    inj = edit_score(root / f"inj-{side}" / "in", root / f"inj-{side}" / "gold", root / out / side)
    return {
        "aeb_r": aeb["recall"], "aeb_f1": aeb["f1"], "traf_r": traf["recall"],
        "traf_f1": traf["f1"], "inj_del_p": inj["del_p"], "inj_closed": inj["closed"],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.1, 0.2, 0.3])
    args = parser.parse_args()
    model = load()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = root / "rules"
        clean(AEB / "in", base / "aeb")
        clean(TRAF / "in", base / "traf")
        for side, keep in (("dev", False), ("held", True)):
            src, gold = root / f"inj-{side}" / "in", root / f"inj-{side}" / "gold"
            src.mkdir(parents=True)
            gold.mkdir(parents=True)
            for path in sorted((AEB / "gold").glob("*.txt")):
                if held_out(path.name) == keep:
                    body = path.read_text(encoding="utf-8")
                    (gold / path.name).write_text(body, encoding="utf-8")
                    injected = inject(body, random.Random(path.name))
                    (src / path.name).write_text(injected, encoding="utf-8")
            clean(src, base / side)
        variants = [("rules", None, 0.0)] + [
            (f"{form} {t}", form, t) for form in ("any", "edges") for t in args.thresholds
        ]
        print(f"{'stage':<12} {'side':<5} {'aeb R':>6} {'aeb F1':>6} {'traf R':>6} "
              f"{'traf F1':>7} {'inj del_p':>9} {'closed':>7}")  # fmt: skip
        for name, form, t in variants:
            out = base.name if form is None else name.replace(" ", "-")
            if form is not None:
                for sub in ("aeb", "traf", "dev", "held"):
                    (root / out / sub).mkdir(parents=True)
                    for path in (base / sub).glob("*.txt"):
                        text = stage(model, path.read_text(encoding="utf-8"), form, t)
                        (root / out / sub / path.name).write_text(text, encoding="utf-8")
            for side_held in (False, True):
                s = scores(root, out, side_held)
                print(
                    f"{name:<12} {'held' if side_held else 'dev':<5} {s['aeb_r']:>6.3f} "
                    f"{s['aeb_f1']:>6.3f} {s['traf_r']:>6.3f} {s['traf_f1']:>7.3f} "
                    f"{s['inj_del_p']:>9.3f} {s['inj_closed']:>7.3f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
