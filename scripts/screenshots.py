#!/usr/bin/env python
"""Regenerate screenshots/*.svg (shown in the README) from the built-in demo, headlessly.

    python scripts/screenshots.py [--out screenshots] [--only NAME ...]

Each shot is the real app driven by Textual's Pilot: the keys below are what a person would press.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vpctui.loaders.scenario import ScenarioSource  # noqa: E402
from vpctui.tui.screenshot import take_screenshot  # noqa: E402

THEME = "textual-dark"

# name: (size, keys, what it shows)
SHOTS = {
    "network": ((120, 36), [], "the network tree: each subnet labelled by what it is for a Lambda"),
    "network-80x24": ((80, 24), [], "the same at 80x24"),
    "trace-reachable": ((120, 36), ["4", "j", "t", "type:hello", "enter", "pagedown", "pagedown", "pagedown",
                                    "pagedown"],
                        "lambda-2-nat → S3 at H4: the 0.0.0.0/0 → NAT route is marked in pane 2"),
    "trace-drop": ((120, 36), ["t", "type:hello", "enter", "pagedown", "pagedown", "pagedown", "pagedown"],
                   "lambda-1-public → S3 mid-walk: H4 routes to the IGW, H5 drops (no public IP)"),
    "trace-drop-80x24": ((80, 24), ["4", "j", "j", "t", "type:hello", "enter", "G"],
                         "lambda-3-isolated → S3 at 80x24: no route, the reason and the fix"),
    "matrix": ((120, 36), ["m"], "every function × every target, like the seed post's tables"),
    "whatif-before-after": ((120, 36), ["4", "j", "j", "t", "type:hello", "enter", "a"],
                            "what-if: a applies the fix for lambda-3-isolated → S3; before → after, the hop that changed"),
    "help": ((120, 36), ["?"], "help for the focused pane and every key"),
    "trace-drop-60x20": ((60, 20), ["4", "j", "j", "t", "type:hello", "enter", "d"],
                         "60x20: one pane at a time; d jumps to the drop"),
}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=str(ROOT / "screenshots"))
    p.add_argument("--only", nargs="*", default=None)
    args = p.parse_args(argv)
    for name, (size, keys, what) in SHOTS.items():
        if args.only and name not in args.only:
            continue
        out = Path(args.out) / f"{name}.svg"
        t0 = time.monotonic()
        take_screenshot(ScenarioSource(), str(out), size=size, press=keys, theme=THEME)
        print(f"{out}  {size[0]}x{size[1]}  {what}  ({time.monotonic() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
