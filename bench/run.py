#!/usr/bin/env python3
"""vpctui benchmarks: every figure of docs/performance.md, measured in one run.

    python bench/run.py [--quick] [--functions N] [--json FILE]

Prints a table and, with --json, writes the figures under the keys parse_s, load_s, matrix_s,
matrix_paths, trace_p50_ms, trace_p99_ms, paint_demo_s, paint_large_s, paint_bare_s, live_s,
live_bare_s, live_calls, rss_mb (and a few more). A figure whose part of vpctui is missing (no TUI,
no live loader, no moto) is null, and the table says why. Timings are medians of --repeat runs.
This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402  (bench/generate.py)

TARGETS = {  # what docs/performance.md promises (on 2 cores)
    "matrix_vs_parse": 2.0,
    "trace_p50_ms": 1.0,
    "paint_demo_vs_bare": 1.5,
    "live_vs_bare": 1.0,
    "rss_mb": 300.0,
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


# --------------------------------------------------------------------------------------------------
# engine


def bench_engine(path: Path, repeat: int, samples: int, out: dict, notes: list[str]) -> None:
    import yaml

    from vpctui.engine.matrix import matrix
    from vpctui.engine.trace import trace
    from vpctui.loaders.scenario import load_scenario

    text = path.read_text(encoding="utf-8")
    out["file_mb"] = round(len(text.encode()) / 2**20, 2)
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        notes.append("parse_s: PyYAML has no libyaml (CSafeLoader); the pure-Python parser was timed")
        loader = yaml.SafeLoader
    out["parse_s"], _ = timed(lambda: yaml.load(text, Loader=loader) and None, repeat)
    out["load_s"], net = timed(lambda: load_scenario(path), repeat)
    out["network"] = {"vpcs": len(net.vpcs), "subnets": len(net.subnets), "route_tables": len(net.route_tables),
                      "routes": sum(len(r.routes) for r in net.route_tables),
                      "security_groups": len(net.security_groups),
                      "sg_rules": sum(len(g.ingress) + len(g.egress) for g in net.security_groups),
                      "network_acls": len(net.network_acls), "vpc_endpoints": len(net.vpc_endpoints),
                      "functions": len(net.functions), "targets": len(net.targets)}
    # the matrix: every function x every subnet x every target, on a fresh network value each time
    # (indices and caches that the engine keeps on the value are part of what is timed)
    times = []
    m = None
    for i in range(max(1, repeat - 1)):
        m = fresh = None
        gc.collect()
        fresh = load_scenario(path) if i else net
        t = time.perf_counter()
        m = matrix(fresh)
        times.append(time.perf_counter() - t)
    del fresh
    out["matrix_s"] = statistics.median(times)
    out["matrix_traces"] = len(m)
    out["matrix_paths"] = sum(len(t.paths) for t in m)
    verdicts: dict[str, int] = {}
    for t in m:
        verdicts[t.verdict] = verdicts.get(t.verdict, 0) + 1
    out["verdicts"] = verdicts
    symptoms: dict[str, int] = {}
    for t in m:
        symptoms[t.symptom] = symptoms.get(t.symptom, 0) + 1
    out["symptoms"] = symptoms
    out["rss_after_matrix_mb"] = round(peak_rss_mb(), 1)
    del m
    gc.collect()
    # single traces on the large network (warm: the network's indices exist, as in the TUI)
    rng = random.Random(7)
    pairs = [(rng.choice(net.functions).function_name, rng.choice(net.targets)) for _ in range(samples)]
    for f, t in pairs[:20]:
        trace(net, f, t)
    lat = []
    for f, t in pairs:
        s = time.perf_counter()
        trace(net, f, t)
        lat.append((time.perf_counter() - s) * 1000)
    lat.sort()
    out["trace_p50_ms"] = lat[len(lat) // 2]
    out["trace_p99_ms"] = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    out["trace_samples"] = len(lat)


# --------------------------------------------------------------------------------------------------
# TUI first paint


async def _first_paint(make_app, size=(120, 36)) -> float:
    t = time.perf_counter()
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        return time.perf_counter() - t


def bench_paint(big: Path, repeat: int, out: dict, notes: list[str]) -> None:
    try:
        from textual.app import App
        from textual.containers import Horizontal, Vertical
        from textual.widgets import Footer, Header, Static
    except ImportError as e:
        notes.append(f"paint_*: textual is not installed ({e})")
        return

    class BareApp(App):
        """A bare Textual app: a header, three static panes, a footer."""

        def compose(self):
            yield Header()
            with Horizontal():
                with Vertical():
                    yield Static("pane one")
                    yield Static("pane two")
                yield Static("pane three")
            yield Footer()

    def median(make) -> float:
        return statistics.median(asyncio.run(_first_paint(make)) for _ in range(repeat))

    median(BareApp)  # warm-up: imports, CSS parsing caches
    out["paint_bare_s"] = median(BareApp)
    try:
        from vpctui.loaders.scenario import ScenarioSource
        from vpctui.tui.app import VpcTuiApp
    except ImportError as e:
        notes.append(f"paint_demo_s, paint_large_s: the TUI is not there yet ({e})")
        return
    median(lambda: VpcTuiApp(source=ScenarioSource()))
    out["paint_demo_s"] = median(lambda: VpcTuiApp(source=ScenarioSource()))
    out["paint_large_s"] = statistics.median(
        asyncio.run(_first_paint(lambda: VpcTuiApp(source=ScenarioSource(str(big))))) for _ in range(max(1, repeat - 1)))
    out["tui_responsive"] = asyncio.run(_responsiveness(big))


async def _responsiveness(big: Path) -> dict:
    """Keystroke-to-idle times on the large network: filter the functions, scroll, trace."""
    from vpctui.loaders.scenario import ScenarioSource
    from vpctui.tui.app import VpcTuiApp

    app = VpcTuiApp(source=ScenarioSource(str(big)))
    res: dict = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()

        async def keys(name, *ks):
            t = time.perf_counter()
            await pilot.press(*ks)
            await app.workers.wait_for_complete()
            await pilot.pause()
            res[name] = round((time.perf_counter() - t) * 1000, 1)

        try:
            await keys("focus_functions_ms", "4")
            await keys("filter_ms", "slash", *"app0042", "enter")
            await keys("filter_clear_ms", "escape")
            await keys("scroll_page_ms", "pagedown")
            await keys("scroll_end_ms", "G")
        except Exception as e:  # the TUI's keys may change; this is a benchmark, not a test
            res["error"] = f"{type(e).__name__}: {e}"
    return res


# --------------------------------------------------------------------------------------------------
# live load against moto


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_live(out: dict, notes: list[str], copies: int, repeat: int) -> None:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as e:
        notes.append(f"live_*: boto3/moto[server] not installed ({e})")
        return
    try:
        from vpctui.loaders import AwsOptions
        from vpctui.loaders.aws import load_account
    except ImportError as e:
        notes.append(f"live_*: the live loader is not there yet ({e})")
        return
    try:
        from tests.live.envs import build_seed
    except ImportError as e:
        notes.append(f"live_*: tests/live/envs.py (build_seed) is missing ({e})")
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # the server runs in its own process, as AWS is not in ours: its CPU does not share our GIL
    server = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom moto.server import ThreadedMotoServer\n"
         f"s = ThreadedMotoServer(ip_address='127.0.0.1', port={port}, verbose=False)\ns.start()\n"
         "sys.stdin.read()\ns.stop()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tmp = tempfile.mkdtemp(prefix="vpctui-bench-")
    saved = dict(os.environ)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN"):
            os.environ.pop(var, None)
        os.environ.update({
            "AWS_CONFIG_FILE": os.path.join(tmp, "config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "creds"),
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": url, "AWS_EC2_METADATA_DISABLED": "true"})
        import boto3

        built = build_seed(boto3.session.Session(), copies=copies)
        out["live_functions"] = len(built.functions)

        calls: list[tuple[str, str, dict]] = []

        def record(params, model, event_name, **_kw):
            calls.append((event_name.split(".")[1], model.name, dict(params)))

        def load_once(record_calls: bool) -> float:
            sess = boto3.session.Session()
            if record_calls:
                calls.clear()
                sess.events.register("provide-client-params", record)
            t = time.perf_counter()
            net = load_account(AwsOptions(region="us-east-1"), session=sess)
            dt = time.perf_counter() - t
            out["live_network"] = {"vpcs": len(net.vpcs), "subnets": len(net.subnets), "functions": len(net.functions)}
            return dt

        load_once(False)  # warm-up: botocore's service models are loaded once per process
        load_once(True)
        out["live_s"] = statistics.median(load_once(False) for _ in range(repeat))
        out["live_calls"] = len(calls)
        by_op: dict[str, int] = {}
        for svc, op, _ in calls:
            by_op[f"{svc}:{op}"] = by_op.get(f"{svc}:{op}", 0) + 1
        out["live_calls_by_operation"] = dict(sorted(by_op.items()))

        # the same calls, one after another, with plain boto3 clients
        from botocore import xform_name

        def bare() -> float:
            sess = boto3.session.Session()
            clients: dict = {}
            failed = 0
            t = time.perf_counter()
            for svc, op, params in calls:
                c = clients.get(svc)
                if c is None:
                    c = clients[svc] = sess.client(svc, region_name="us-east-1")
                try:
                    getattr(c, xform_name(op))(**params)
                except Exception:  # noqa: BLE001 - same error the loader saw; the call was made
                    failed += 1
            out["live_bare_failed_calls"] = failed
            return time.perf_counter() - t

        bare()  # warm-up
        out["live_bare_s"] = statistics.median(bare() for _ in range(repeat))
    finally:
        os.environ.clear()
        os.environ.update(saved)
        try:
            server.stdin.close()
            server.wait(timeout=10)
        except Exception:  # noqa: BLE001
            server.kill()


# --------------------------------------------------------------------------------------------------


def ratio(a, b):
    return a / b if a is not None and b else None


def report(out: dict, notes: list[str]) -> str:
    def f(v, unit="s", digits=3):
        return "null" if v is None else f"{v:.{digits}f} {unit}".rstrip()

    def verdict(ok):
        return "" if ok is None else ("✓ met" if ok else "✗ not met")

    r = out["ratios"]
    rows = [
        ("scenario file", f"{out.get('file_mb')} MB, {out['n_functions']} functions", ""),
        ("parse_s (libyaml bare parse)", f(out.get("parse_s")), ""),
        ("load_s (vpctui scenario load)", f(out.get("load_s")), f"{r['load_vs_parse']:.2f}x parse" if r.get("load_vs_parse") else ""),
        ("matrix_s", f(out.get("matrix_s")),
         f"{r['matrix_vs_parse']:.2f}x parse (target ≤ {TARGETS['matrix_vs_parse']}x) {verdict(out['met'].get('matrix'))}"
         if r.get("matrix_vs_parse") else ""),
        ("matrix_paths", f"{out.get('matrix_paths')} paths, {out.get('matrix_traces')} traces",
         f"{out['paths_per_s']:,.0f} paths/s" if out.get("paths_per_s") else ""),
        ("trace_p50_ms / p99", f"{f(out.get('trace_p50_ms'), 'ms')} / {f(out.get('trace_p99_ms'), 'ms')}",
         f"target p50 ≤ {TARGETS['trace_p50_ms']} ms {verdict(out['met'].get('trace'))}"),
        ("paint_bare_s", f(out.get("paint_bare_s")), ""),
        ("paint_demo_s", f(out.get("paint_demo_s")),
         f"{r['paint_demo_vs_bare']:.2f}x bare (target ≤ {TARGETS['paint_demo_vs_bare']}x) {verdict(out['met'].get('paint'))}"
         if r.get("paint_demo_vs_bare") else ""),
        ("paint_large_s", f(out.get("paint_large_s")),
         f"{r['paint_large_vs_bare']:.2f}x bare" if r.get("paint_large_vs_bare") else ""),
        ("live_s", f(out.get("live_s")), f"{out.get('live_calls')} calls" if out.get("live_calls") else ""),
        ("live_bare_s (same calls, sequential)", f(out.get("live_bare_s")),
         f"live {r['live_vs_bare']:.2f}x bare (target ≤ {TARGETS['live_vs_bare']}x) {verdict(out['met'].get('live'))}"
         if r.get("live_vs_bare") else ""),
        ("rss_mb (peak, engine phase)", f(out.get("rss_mb"), "MB", 0),
         f"target ≤ {TARGETS['rss_mb']:.0f} MB {verdict(out['met'].get('rss'))}"),
    ]
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(b) for _, b, _ in rows)
    lines = [f"{a:<{w0}}  {b:>{w1}}  {c}".rstrip() for a, b, c in rows]
    if out.get("tui_responsive"):
        lines.append(f"TUI keys on the large network (ms): {out['tui_responsive']}")
    if out.get("verdicts"):
        lines.append(f"verdicts: {out['verdicts']}")
    for n in notes:
        lines.append(f"note: {n}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a small network (N=500) and fewer repeats")
    ap.add_argument("--functions", type=int, help="N for the generated network (default 5000, 500 with --quick)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, help="runs per timing (median; default 3, 2 with --quick)")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: engine,paint,live")
    a = ap.parse_args(argv)
    n = a.functions or (500 if a.quick else 5000)
    repeat = a.repeat or (2 if a.quick else 3)
    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    out: dict = {"n_functions": n, "seed": a.seed, "quick": a.quick, "repeat": repeat,
                 "python": platform.python_version(), "cpus": os.cpu_count(),
                 "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    for k in ("parse_s", "load_s", "matrix_s", "matrix_paths", "trace_p50_ms", "trace_p99_ms", "paint_demo_s",
              "paint_large_s", "paint_bare_s", "live_s", "live_bare_s", "live_calls", "rss_mb"):
        out[k] = None
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vpctui-bench-") as tmp:
        big = Path(tmp) / f"synthetic-{n}.yaml"
        big.write_text(generate.dump(generate.generate(n, a.seed)), encoding="utf-8")
        if "engine" not in skip:
            bench_engine(big, repeat, 2000 if not a.quick else 500, out, notes)
        out["rss_mb"] = round(peak_rss_mb(), 1)  # the engine phase: load + matrix + traces
        if "paint" not in skip:
            bench_paint(big, repeat, out, notes)
        if "live" not in skip:
            bench_live(out, notes, copies=10, repeat=repeat)
    out["rss_end_mb"] = round(peak_rss_mb(), 1)
    out["paths_per_s"] = out["matrix_paths"] / out["matrix_s"] if out.get("matrix_s") else None
    out["ratios"] = {
        "load_vs_parse": ratio(out["load_s"], out["parse_s"]),
        "matrix_vs_parse": ratio(out["matrix_s"], out["parse_s"]),
        "paint_demo_vs_bare": ratio(out["paint_demo_s"], out["paint_bare_s"]),
        "paint_large_vs_bare": ratio(out["paint_large_s"], out["paint_bare_s"]),
        "live_vs_bare": ratio(out["live_s"], out["live_bare_s"]),
    }
    r = out["ratios"]
    out["met"] = {
        "matrix": None if r["matrix_vs_parse"] is None else r["matrix_vs_parse"] <= TARGETS["matrix_vs_parse"],
        "trace": None if out["trace_p50_ms"] is None else out["trace_p50_ms"] <= TARGETS["trace_p50_ms"],
        "paint": None if r["paint_demo_vs_bare"] is None else r["paint_demo_vs_bare"] <= TARGETS["paint_demo_vs_bare"],
        "live": None if r["live_vs_bare"] is None else r["live_vs_bare"] <= TARGETS["live_vs_bare"],
        "rss": None if "engine" in skip else out["rss_mb"] <= TARGETS["rss_mb"],
    }
    if a.quick:
        notes.append(f"--quick: N={n}; the targets are defined for N=5000")
    out["notes"] = notes
    print(report(out, notes))
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
