#!/usr/bin/env python3
"""Write a large, realistic, valid vpctui scenario (the generator is vpctui/testing/generate.py).

    python bench/generate.py --functions N [--seed S] -o FILE.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vpctui.testing.generate import dump, generate  # noqa: E402,F401  (re-exported for old importers)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--functions", "-n", type=int, required=True, help="number of Lambda functions")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", required=True, help="the scenario file to write ('-' for stdout)")
    a = ap.parse_args(argv)
    if a.functions < 1:
        ap.error("--functions must be at least 1")
    text = dump(generate(a.functions, a.seed))
    if a.output == "-":
        sys.stdout.write(text)
    else:
        Path(a.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
