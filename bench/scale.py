#!/usr/bin/env python3
"""How cost grows with the number of functions, and what an organisation-wide scan would cost.

    python bench/scale.py [--sizes 1000,5000,20000] [--json FILE] [--live FILE]
    python bench/run.py --scale [--scale-sizes 1000,5000,20000]         # the same, from run.py

For each N a generated network (vpctui/testing/generate.py, seed 1) is written to a file, and one
child process per N (so that peak RSS belongs to that N alone, resource.getrusage in the child)
times the bare libyaml parse, the vpctui load and the full matrix (every function x every target)
and reports its peak RSS (VmHWM: Linux carries ru_maxrss over execve from the parent, so getrusage
in the child would count the parent's peak), and the peak after the imports (what a bare interpreter with vpctui
costs). Per function: (load + matrix) / N and (peak - imports) / N.

The organisation-wide estimate uses the live figures of bench/run.py (``--live FILE``, a JSON
written by ``run.py --skip engine,paint --latency-ms 50 --json FILE``; the figures measured on this
machine are the defaults): API calls per account and region as a function of its VPCs, roles and
functions, and the wall time at the loader's concurrency and the given latency, for A accounts x R
regions read 8 at a time (loaders/aws_multi.py). A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import gc, json, resource, sys, time

def hwm_mb():
    # the peak RSS of this process's memory since its exec (VmHWM): resource.getrusage's
    # ru_maxrss would do on most systems, but Linux carries it over execve from the parent at fork
    # time, so a child of a parent that generated a 20k network starts with the parent's peak
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

t = time.perf_counter()
import yaml
from vpctui.engine.matrix import matrix
from vpctui.loaders.scenario import load_scenario
imports_s = time.perf_counter() - t
rss0 = hwm_mb()
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
t = time.perf_counter(); yaml.load(text, Loader=yaml.CSafeLoader); parse_s = time.perf_counter() - t
del text
gc.collect()
t = time.perf_counter(); net = load_scenario(path); load_s = time.perf_counter() - t
t = time.perf_counter(); m = matrix(net); matrix_s = time.perf_counter() - t
paths = sum(len(x.paths) for x in m)
print(json.dumps({"imports_s": imports_s, "parse_s": parse_s, "load_s": load_s, "matrix_s": matrix_s,
                  "traces": len(m), "paths": paths, "functions": len(net.functions), "subnets": len(net.subnets),
                  "vpcs": len(net.vpcs), "targets": len(net.targets), "rss_imports_mb": rss0,
                  "rss_peak_mb": hwm_mb(), "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

# What bench/run.py measured for the live load on this machine (the 10x seed network: 11 VPCs, 46
# subnets, 40 functions, 1 role; 50 ms per response), used when no --live file is given.
LIVE_DEFAULTS = {"live_calls": 60, "live_s": 1.1, "latency_ms": 50.0, "vpcs": 11, "roles": 1, "functions": 40,
                 "by_op": {"ec2:DescribeVpcAttribute": 22, "route53:ListHostedZonesByVPC": 11}}
ACCOUNTS_AT_ONCE = 8  # loaders/aws_multi.py: ThreadPoolExecutor(max_workers=min(8, ...))


def measure(sizes: list[int], seed: int = 1) -> list[dict]:
    from vpctui.testing import generate

    rows = []
    with tempfile.TemporaryDirectory(prefix="vpctui-scale-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"net-{n}.yaml"
            path.write_text(generate.dump(generate.generate(n, seed)), encoding="utf-8")  # no anchors: loads at any N
            p = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
            if p.returncode:
                rows.append({"n": n, "error": p.stderr.strip().splitlines()[-1:]})
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            r["n"] = n
            r["file_mb"] = round(path.stat().st_size / 2**20, 2)
            r["ms_per_function"] = (r["load_s"] + r["matrix_s"]) / n * 1000
            r["kb_per_function"] = (r["rss_peak_mb"] - r["rss_imports_mb"]) * 1024 / n
            rows.append(r)
            print(f"N={n:>6}: file {r['file_mb']} MB, parse {r['parse_s']:.2f} s, load {r['load_s']:.2f} s, "
                  f"matrix {r['matrix_s']:.2f} s ({r['traces']} traces, {r['paths']} paths), peak RSS "
                  f"{r['rss_peak_mb']:.0f} MB (imports {r['rss_imports_mb']:.0f} MB); per function "
                  f"{r['ms_per_function']:.2f} ms, {r['kb_per_function']:.1f} kB", flush=True)
    return rows


def calls_per_account(vpcs: int, roles: int, functions: int, live: dict) -> int:
    """API calls of one account and region: the fixed ones (one paginated call per collection,
    measured), 3 per VPC (two DNS attributes and its hosted zones), 6 per distinct role (inline
    list + one policy, attached list + policy + version, GetRole; more with more policies), one
    ListFunctions page per 50 functions."""
    per_vpc = (live["by_op"].get("ec2:DescribeVpcAttribute", 0) + live["by_op"].get("route53:ListHostedZonesByVPC", 0)) / live["vpcs"]
    fixed = live["live_calls"] - per_vpc * live["vpcs"] - 6 * live["roles"] - math.ceil(live["functions"] / 50)
    return round(fixed + per_vpc * vpcs + 6 * roles + math.ceil(functions / 50))


def org_estimate(live: dict, rows: list[dict], workers: int = 16) -> list[dict]:
    """Calls and wall time for A accounts x R regions, each account-region like a mid-sized
    account (10 VPCs, 30 roles, 200 functions), read ACCOUNTS_AT_ONCE at a time with ``workers``
    calls in flight each; and the size of the merged network from the per-function figures."""
    lat = live["latency_ms"] / 1000
    out = []
    measured = [r for r in rows if "kb_per_function" in r]  # the largest N measured is the basis
    per_fn_kb = measured[-1]["kb_per_function"] if measured else 55.0
    per_fn_ms = measured[-1]["ms_per_function"] if measured else 1.0
    for accounts in (100, 500):
        regions = 4
        vpcs, roles, fns = 10, 30, 200
        c = calls_per_account(vpcs, roles, fns, live)
        # one account-region: bounded by the calls in flight, and by its longest chain of calls
        # (credentials, the functions' pages, a role's three calls after them)
        chain = (1 + math.ceil(fns / 50) + 3) * lat
        one = max(chain, c / workers * lat)
        n = accounts * regions
        total_fns = n * fns
        out.append({"accounts": accounts, "regions": regions, "account_regions": n, "calls_per_account_region": c,
                    "calls": c * n, "wall_s_per_account_region": round(one, 2),
                    "wall_s": round(math.ceil(n / ACCOUNTS_AT_ONCE) * one, 1),
                    "calls_per_s": round(ACCOUNTS_AT_ONCE * workers / lat),
                    "functions": total_fns, "model_rss_gb": round(total_fns * per_fn_kb / 2**20, 1),
                    "matrix_minutes": round(total_fns * per_fn_ms / 60000, 1)})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--live", help="a bench/run.py --json file with the live figures")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    out = run_scale([int(x) for x in a.sizes.split(",") if x.strip()], a.seed,
                    json.loads(Path(a.live).read_text()) if a.live else None)
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


def run_scale(sizes: list[int], seed: int = 1, live_json: dict | None = None) -> dict:
    live = dict(LIVE_DEFAULTS)
    if live_json and live_json.get("live_calls"):
        net = live_json.get("live_network") or {}
        live.update(live_calls=live_json["live_calls"], live_s=live_json["live_s"],
                    latency_ms=live_json.get("latency_ms") or live["latency_ms"],
                    vpcs=net.get("vpcs", live["vpcs"]), functions=net.get("functions", live["functions"]),
                    by_op=live_json.get("live_calls_by_operation", live["by_op"]))
    rows = measure(sizes, seed)
    org = org_estimate(live, rows)
    for o in org:
        print(f"{o['accounts']} accounts x {o['regions']} regions: {o['calls']:,} calls "
              f"({o['calls_per_account_region']} per account-region), ~{o['wall_s']:.0f} s at "
              f"{live['latency_ms']:.0f} ms and {ACCOUNTS_AT_ONCE} accounts x 16 calls in flight; "
              f"{o['functions']:,} functions: ~{o['model_rss_gb']} GB, matrix ~{o['matrix_minutes']} min on one core")
    return {"scale": rows, "org": org, "live_basis": live}


if __name__ == "__main__":
    raise SystemExit(main())
