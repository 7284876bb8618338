#!/usr/bin/env python3
"""A longer hypothesis campaign over mutated scenarios: the property of
tests/unit/test_fuzz_scenarios.py, run for N examples without stopping at the first failure.

    python scripts/fuzz_scenarios.py [-n 5000] [--seed 1]

Prints the number of cases, accepted and rejected files, and each distinct failure once (with a
count and the first example), then exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

import test_fuzz_scenarios as fz  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vpctui-fuzz-"))
    counts: collections.Counter = collections.Counter()
    failures: dict[str, list] = {}

    @seed(a.seed)
    @settings(max_examples=a.n, deadline=None, database=None, phases=["generate"],
              suppress_health_check=list(HealthCheck))
    @given(case=fz.mutated())
    def campaign(case):
        name, text = case
        counts["cases"] += 1
        try:
            counts[fz.check_contract(tmp, name, text)] += 1
        except AssertionError as e:
            key = re.sub(r"/\S+\.yaml", "FILE", str(e))
            key = re.sub(r"\d+", "N", key)[:160]
            failures.setdefault(key, []).append((name, text))
            counts["failed"] += 1

    t = time.perf_counter()
    campaign()
    took = time.perf_counter() - t
    print(f"cases {counts['cases']}, accepted {counts['accepted']}, rejected {counts['rejected']}, "
          f"failed {counts['failed']} ({len(failures)} distinct) in {took:.0f} s")
    for key, cases in failures.items():
        print(f"\n[{len(cases)}x] {key}\n  first: {cases[0][0]}: {cases[0][1][:400]!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
