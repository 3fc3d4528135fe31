"""Without the stdlib's private regex parser, the cleaner is slower, never different.

:mod:`cleaner.reparser` is the one import of ``re._parser``. A Python that
lacks it must still clean every sample to its expected text in both modes:
gates and the mojibake split only save time. Run in a fresh interpreter with
the module blocked and the disk cache off (cached gates would hide the loss).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cleaner import reparser
from cleaner.gates import gate
from cleaner.matching import nested_quantifiers

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

SCRIPT = """
import json, sys
sys.modules["re._parser"] = None  # what "import re._parser" meets in a Python without it
from pathlib import Path
from cleaner import Cleaner, reparser
from cleaner.gates import gate
assert reparser._parser is None
assert gate("(?i)^source site-\\\\d+$") is None
samples = Path(sys.argv[1])
out = {}
for mode, cleaner in (("expected", Cleaner()), ("expected-unsafe", Cleaner(unsafe_fixes=True))):
    for path in sorted((samples / "in").iterdir()):
        out[f"{mode}/{path.name}"] = cleaner.clean(path.read_text(encoding="utf-8")).text
print(json.dumps(out))
"""


def test_the_parser_is_there_and_gives_gates_here():
    # Otherwise the test below would compare the fallback with itself.
    assert reparser._parser is not None
    assert gate("(?i)^source site-\\d+$") == frozenset({"source site-"})
    assert nested_quantifiers("(a+)+$") == 1


def test_samples_are_cleaned_the_same_without_the_parser():
    env = {**os.environ, "CLEAN_ARTICLES_CACHE_DIR": ""}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SAMPLES)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    cleaned = json.loads(proc.stdout)
    assert len(cleaned) == 2 * len(list((SAMPLES / "in").iterdir()))
    for name, text in cleaned.items():
        assert text == (SAMPLES / name).read_text(encoding="utf-8"), name
