#!/usr/bin/env python3
"""vpctui benchmarks: every figure of docs/performance.md, measured in one run.

    python bench/run.py [--quick] [--functions N] [--json FILE]

    python bench/run.py --skip engine,paint --latency-ms 50 --json FILE    # the live part alone

Prints a table and, with --json, writes the figures under the keys parse_s, load_s, matrix_s,
matrix_paths, trace_p50_ms, trace_p99_ms, e2e_s, e2e_ratio (and its split), paint_demo_s,
paint_large_s, paint_bare_s, paint_loading_s, tui_max_stall_ms, live_s, live_bare_s,
live_first_screen_s, live_calls, latency_ms, ssh_nav_median_bytes_SIZE, ssh_nav_max_bytes_SIZE,
ssh_action_max_bytes_SIZE, ssh_mouse_motion_median_bytes_SIZE, ssh_mouse_motion_max_bytes_SIZE, rss_mb, whatif_trace_p50_ms, whatif_delta_share_median/max (and a few more).
Parts: engine, whatif, e2e, paint, stall, live, ssh; --scale adds the scale study (bench/scale.py);
--skip names those to leave out (the generated network is made whenever a part needs it). A figure whose part of vpctui is missing (no TUI,
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

from vpctui.testing import generate  # noqa: E402

TARGETS = {  # what docs/performance.md promises (on 2 cores)
    "matrix_vs_parse": 2.0,
    "trace_p50_ms": 1.0,
    "paint_demo_vs_bare": 1.5,
    "live_vs_bare": 1.0,            # without latency (moto answers in ~1 ms)
    "live_vs_bare_latency": 0.3,    # with --latency-ms (a real region's latency)
    "live_first_screen_vs_bare": 0.15,
    "rss_mb": 300.0,
    "e2e_ratio": 2.0,
    "tui_max_stall_ms": 100.0,
    "filter_key_cpu_ms": 30.0,
    "paint_loading_s": 0.5,
    "panes_filled_vs_parse": 1.5,
    "ssh_nav_median_bytes": 6000,
    "ssh_nav_max_bytes": 10000,
    "ssh_action_max_bytes_120x36": 25000,
    "ssh_action_max_bytes_80x24": 15000,
    "ssh_mouse_motion_bytes": 1000,  # a mouse motion (the issue: ≤ 1 kB or a --no-mouse option, which exists)
    "whatif_trace_p50_ms": 5.0,  # a single trace again after one edit
    "whatif_delta_vs_matrix": 0.10,  # the matrix delta after one edit, as a share of a full matrix
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
# what-if: one edit, then the single trace and the matrix delta


def whatif_edits(net) -> list:
    """One edit of each common kind on the network, chosen deterministically."""
    from vpctui.engine import edits as ed
    from vpctui.model.network import NaclEntry, PortRange, SgRule

    rng = random.Random(11)
    out = []
    fn = rng.choice([f for f in net.functions if f.security_group_ids])
    out.append(("add an SG egress rule", ed.AddSgRule(fn.security_group_ids[0], "egress",
                                                       SgRule("tcp", PortRange(5439, 5439), cidr="0.0.0.0/0"))))
    used = {s for f in net.functions for s in f.subnet_ids}  # a table some function's subnet uses
    rt = rng.choice([r for r in net.route_tables if any(x.target.startswith("nat-") for x in r.routes)
                     and used.intersection(r.subnet_ids)])
    out.append(("remove a NAT route", ed.RemoveRoute(rt.route_table_id, next(x.destination for x in rt.routes if x.target.startswith("nat-")))))
    for e in net.vpc_endpoints:
        free = [r for r in net.route_tables if e.is_gateway and r.vpc_id == e.vpc_id and r.route_table_id not in e.route_table_ids]
        if free:
            out.append(("associate a gateway endpoint", ed.AssociateGatewayEndpoint(e.vpc_endpoint_id, free[0].route_table_id)))
            break
    acl = next(a for a in net.network_acls if not a.is_default)
    out.append(("add a NACL entry", ed.AddNaclEntry(acl.network_acl_id, NaclEntry(1, True, "deny", "tcp", PortRange(443, 443), "0.0.0.0/0"))))
    ie = next(e for e in net.vpc_endpoints if e.is_interface)
    out.append(("toggle an endpoint's private DNS (VPC-wide)", ed.SetEndpointPrivateDns(ie.vpc_endpoint_id, not ie.private_dns_enabled)))
    b = next(r for r in net.resources if r.policy is not None and r.policy.statements)
    out.append(("remove a bucket-policy statement (every function)", ed.RemovePolicyStatement(b.arn, "0")))
    out.append(("move a function", ed.SetFunctionVpcConfig(fn.function_name, fn.subnet_ids[::-1])))
    return out


def bench_whatif(path: Path, out: dict, notes: list[str], samples: int = 200) -> None:
    from vpctui.engine.edits import apply
    from vpctui.engine.incremental import IncrementalMatrix
    from vpctui.engine.matrix import matrix
    from vpctui.engine.trace import trace
    from vpctui.loaders.scenario import load_scenario

    net = load_scenario(path)
    gc.collect()
    t = time.perf_counter()
    full = matrix(net)
    matrix_s = time.perf_counter() - t
    del full
    gc.collect()
    t = time.perf_counter()
    inc = IncrementalMatrix.build(net)
    out["whatif_build_s"] = time.perf_counter() - t
    out["whatif_index_s"] = max(0.0, out["whatif_build_s"] - matrix_s)
    out["whatif_matrix_s"] = matrix_s
    rng = random.Random(5)
    rows = []
    after_trace, applies = [], []
    for label, e in whatif_edits(net):
        # the single trace again: the edit applied to the network the TUI holds, then one trace
        base = inc.network
        pairs = [(rng.choice(base.functions).function_name, rng.choice(base.targets)) for _ in range(samples // 10)]
        for f, tg in pairs:
            s = time.perf_counter()
            edited = apply(base, [e])
            m = time.perf_counter()
            trace(edited, f, tg)
            after_trace.append((time.perf_counter() - m) * 1000)
            applies.append((m - s) * 1000)
        gc.collect()
        s = time.perf_counter()
        changed = inc.update([e])
        d = time.perf_counter() - s
        rows.append({"edit": label, "delta_s": round(d, 4), "share_of_matrix": round(d / matrix_s, 4),
                     "recomputed": inc.recomputed, "changed": len(changed)})
    after_trace.sort()
    applies.sort()
    out["whatif_edits"] = rows
    out["whatif_trace_p50_ms"] = after_trace[len(after_trace) // 2]
    out["whatif_trace_p99_ms"] = after_trace[min(len(after_trace) - 1, int(len(after_trace) * 0.99))]
    out["whatif_apply_p50_ms"] = applies[len(applies) // 2]
    shares = sorted(r["share_of_matrix"] for r in rows)
    out["whatif_delta_share_median"] = shares[len(shares) // 2]
    out["whatif_delta_share_max"] = shares[-1]


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


async def _stalls(big: Path, target: str) -> dict:
    """The longest event-loop stall (a 5 ms heartbeat's lateness) while the large network loads, the
    matrix opens, the functions are filtered and a trace is walked; and the CPU each filter key costs."""
    from vpctui.loaders.scenario import ScenarioSource
    from vpctui.tui.app import VpcTuiApp

    res: dict = {}
    gaps: dict[str, float] = {}
    phase = ["load"]
    beat_s = 0.005
    running = [True]

    async def heartbeat():
        last = time.perf_counter()
        while running[0]:
            await asyncio.sleep(beat_s)
            now = time.perf_counter()
            gaps[phase[0]] = max(gaps.get(phase[0], 0.0), (now - last - beat_s) * 1000)
            last = now

    t0 = time.perf_counter()
    app = VpcTuiApp(source=ScenarioSource(str(big)))
    async with app.run_test(size=(120, 36)) as pilot:
        res["first_frame_s"] = round(time.perf_counter() - t0, 3)
        task = asyncio.create_task(heartbeat())

        async def settle():
            await app.workers.wait_for_complete()
            await pilot.pause()

        try:
            await settle()
            res["panes_filled_s"] = round(time.perf_counter() - t0, 3)
            phase[0] = "filter"
            await pilot.press("4")
            await settle()
            cpu = []
            await pilot.press("slash")
            for ch in "app0042":
                c = time.process_time()
                await pilot.press(ch)
                await settle()
                cpu.append((time.process_time() - c) * 1000)
            res["filter_key_cpu_ms_max"] = round(max(cpu), 1)
            res["filter_key_cpu_ms_median"] = round(statistics.median(cpu), 1)
            await pilot.press("escape")
            await settle()
            phase[0] = "matrix"
            await pilot.press("m")
            await settle()
            await pilot.press("escape")
            await settle()
            phase[0] = "trace"
            await pilot.press("4", "t")
            await settle()
            await pilot.press(*target, "enter")
            await settle()
            for _ in range(6):
                await pilot.press("space")
                await settle()
        except Exception as e:  # the TUI's keys may change; this is a benchmark, not a test
            res["error"] = f"{type(e).__name__}: {e}"
        running[0] = False
        await task
    res["stall_ms_by_phase"] = {k: round(v, 1) for k, v in gaps.items()}
    res["max_stall_ms"] = round(max(gaps.values()), 1) if gaps else None
    return res


def bench_stall(big: Path, out: dict, notes: list[str]) -> None:
    try:
        from vpctui.tui.app import VpcTuiApp  # noqa: F401
    except ImportError as e:
        notes.append(f"tui_max_stall_ms: no TUI ({e})")
        return
    res = asyncio.run(_stalls(big, "s3"))
    out["tui_stall"] = res
    out["tui_max_stall_ms"] = res.get("max_stall_ms")
    out["tui_filter_key_cpu_ms"] = res.get("filter_key_cpu_ms_max")
    out["paint_loading_s"] = res.get("first_frame_s")
    if res.get("error"):
        notes.append(f"tui stall run stopped early: {res['error']}")


# --------------------------------------------------------------------------------------------------
# end to end: the CLI as a process


def bench_e2e(big: Path, repeat: int, out: dict, notes: list[str]) -> None:
    """`vpctui matrix FILE --to s3 --to ssm --json > /dev/null` from start to exit, and where it goes."""
    import yaml

    from vpctui.engine.matrix import matrix
    from vpctui.loaders.scenario import load_scenario

    # as an installed vpctui runs: its modules compiled once (pip compiles them at install); this
    # environment sets PYTHONDONTWRITEBYTECODE, which would compile every module on every start
    # (0.2-0.4 s here), so the bytecode goes to a cache directory of this run, warmed up first
    pyc = tempfile.mkdtemp(prefix="vpctui-bench-pyc-")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": pyc}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [sys.executable, "-m", "vpctui", "matrix", str(big), "--to", "s3", "--to", "ssm", "--json"]
    demo = [sys.executable, "-m", "vpctui", "matrix", "--to", "s3", "--to", "ssm", "--json"]

    def run(c) -> float:
        t = time.perf_counter()
        p = subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
        dt = time.perf_counter() - t
        if p.returncode not in (0, 1):
            notes.append(f"e2e: {' '.join(c[2:4])} exited {p.returncode}: {p.stderr.decode()[-300:]}")
        return dt

    run(demo)  # warm-up: the bytecode cache, the file in the page cache
    out["e2e_s"] = statistics.median(run(cmd) for _ in range(repeat))
    # start-up: the same command on the built-in demo (interpreter, the matrix path's imports, a
    # 20-function network), not `--version`, which imports nothing of that path
    out["e2e_startup_s"] = statistics.median(run(demo) for _ in range(repeat))
    out["e2e_bytecode_cached"] = True
    text = big.read_text(encoding="utf-8")
    parse = statistics.median(timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader) and None, 1)[0] for _ in range(repeat))
    if out.get("parse_s") is None:  # the engine part was skipped
        out["parse_s"] = parse
    out["e2e_parse_s"] = parse
    gc.collect()
    t = time.perf_counter()
    net = load_scenario(big)
    out["e2e_load_s"] = time.perf_counter() - t  # parse + model
    t = time.perf_counter()
    res = matrix(net, ["s3", "ssm"])
    out["e2e_matrix_s"] = time.perf_counter() - t
    # the JSON as the CLI writes it (vpctui/cli.py _stream_results: one compact result a line)
    from vpctui import cli

    saved = sys.stdout
    t = time.perf_counter()
    try:
        with open(os.devnull, "w", encoding="utf-8") as fh:
            sys.stdout = fh
            cli._stream_results(iter(res), False, None, net)
    finally:
        sys.stdout = saved
    out["e2e_json_s"] = time.perf_counter() - t
    out["e2e_ratio"] = out["e2e_s"] / parse


# --------------------------------------------------------------------------------------------------
# live load against moto


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_live(out: dict, notes: list[str], copies: int, repeat: int, latency_ms: float = 0.0) -> None:
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
    proxy = None
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        if latency_ms > 0:  # every response held for latency_ms, as a real region answers
            # in its own process, as the moto server: its CPU does not share the loader's lock
            proxy = subprocess.Popen([sys.executable, str(Path(__file__).with_name("latency_proxy.py")), url,
                                      str(latency_ms)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            url = proxy.stdout.readline().strip()
        out["latency_ms"] = latency_ms
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
            calls.append((model.service_model.service_name, model.name, dict(params)))  # the client name (route53, not route-53)

        import inspect

        progressive = "on_partial" in inspect.signature(load_account).parameters
        first_screen: list[float] = []

        def load_once(record_calls: bool) -> float:
            sess = boto3.session.Session()
            if record_calls:
                calls.clear()
                sess.events.register("provide-client-params", record)
            t = time.perf_counter()
            seen: list[float] = []
            kw = {}
            if progressive:  # the network panes can be filled from the first partial network with subnets
                kw["on_partial"] = lambda net: (not seen and net.subnets and seen.append(time.perf_counter() - t))
            net = load_account(AwsOptions(region="us-east-1"), session=sess, **kw)
            dt = time.perf_counter() - t
            first_screen.append(seen[0] if seen else dt)
            out["live_network"] = {"vpcs": len(net.vpcs), "subnets": len(net.subnets), "functions": len(net.functions)}
            return dt

        load_once(False)  # warm-up: botocore's service models are loaded once per process
        load_once(True)
        first_screen.clear()
        out["live_s"] = statistics.median(load_once(False) for _ in range(repeat))
        out["live_first_screen_s"] = statistics.median(first_screen)
        if not progressive:
            notes.append("live_first_screen_s: the loader has no partial results (on_partial): the first screen waits for the whole load")
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
        if proxy is not None:
            try:
                proxy.stdin.close()
                out["live_proxy_requests"] = int(proxy.stdout.readline() or 0)
                proxy.wait(timeout=10)
            except Exception:  # noqa: BLE001
                proxy.kill()
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
         f"live {r['live_vs_bare']:.2f}x bare (target ≤ "
         f"{TARGETS['live_vs_bare_latency'] if out.get('latency_ms') else TARGETS['live_vs_bare']}x) {verdict(out['met'].get('live'))}"
         if r.get("live_vs_bare") else ""),
        ("rss_mb (peak, engine phase)", f(out.get("rss_mb"), "MB", 0),
         f"target ≤ {TARGETS['rss_mb']:.0f} MB {verdict(out['met'].get('rss'))}"),
        ("e2e_s (matrix --to s3 --to ssm --json, a process)", f(out.get("e2e_s")),
         f"{out['e2e_ratio']:.2f}x parse (target ≤ {TARGETS['e2e_ratio']}x) {verdict(out['met'].get('e2e'))}"
         if out.get("e2e_ratio") else ""),
        ("  split: startup / load / matrix / json",
         " / ".join(f(out.get(k)) for k in ("e2e_startup_s", "e2e_load_s", "e2e_matrix_s", "e2e_json_s")), ""),
        ("live_first_screen_s", f(out.get("live_first_screen_s")),
         f"{r['live_first_screen_vs_bare']:.2f}x bare (target ≤ {TARGETS['live_first_screen_vs_bare']}x) "
         f"{verdict(out['met'].get('live_first_screen'))}" if r.get("live_first_screen_vs_bare") else ""),
        ("latency_ms (live part)", f(out.get("latency_ms"), "ms", 0), ""),
        ("tui_max_stall_ms", f(out.get("tui_max_stall_ms"), "ms", 1),
         f"target ≤ {TARGETS['tui_max_stall_ms']:.0f} ms {verdict(out['met'].get('stall'))}"),
        ("paint_loading_s (first frame, large network)", f(out.get("paint_loading_s")),
         f"target ≤ {TARGETS['paint_loading_s']} s {verdict(out['met'].get('paint_loading'))}"),
        ("panes filled (large network)", f((out.get("tui_stall") or {}).get("panes_filled_s")),
         f"{r['panes_filled_vs_parse']:.2f}x parse (target ≤ {TARGETS['panes_filled_vs_parse']}x) "
         f"{verdict(out['met'].get('panes_filled'))}" if r.get("panes_filled_vs_parse") else ""),
        ("filter key CPU (max)", f(out.get("tui_filter_key_cpu_ms"), "ms", 1),
         f"target ≤ {TARGETS['filter_key_cpu_ms']:.0f} ms {verdict(out['met'].get('filter_cpu'))}"),
    ]
    for tag in ("120x36", "80x24"):
        if out.get(f"ssh_nav_median_bytes_{tag}") is not None:
            rows.append((f"ssh bytes {tag}: nav median / nav max / action max",
                         f"{out[f'ssh_nav_median_bytes_{tag}']:.0f} / {out[f'ssh_nav_max_bytes_{tag}']:.0f} / "
                         f"{out[f'ssh_action_max_bytes_{tag}']:.0f} B",
                         f"targets ≤ {TARGETS['ssh_nav_median_bytes']} / {TARGETS['ssh_nav_max_bytes']} / "
                         f"{TARGETS[f'ssh_action_max_bytes_{tag}']} B"))
        if out.get(f"ssh_mouse_motion_max_bytes_{tag}") is not None:
            mx = out[f"ssh_mouse_motion_max_bytes_{tag}"]
            rows.append((f"ssh bytes {tag}: mouse motion median / max",
                         f"{out[f'ssh_mouse_motion_median_bytes_{tag}']:.0f} / {mx:.0f} B",
                         f"target ≤ {TARGETS['ssh_mouse_motion_bytes']} B (or --no-mouse) "
                         f"{verdict(mx <= TARGETS['ssh_mouse_motion_bytes'])}; "
                         f"{out.get(f'ssh_mouse_motions_changing_the_screen_{tag}')} of "
                         f"{out.get(f'ssh_mouse_motions_{tag}')} motions changed the screen"))
    if out.get("ssh") is not None or out["met"].get("ssh") is not None:
        rows.append(("ssh bytes targets", "", verdict(out["met"].get("ssh"))))
    if out.get("whatif_trace_p50_ms") is not None:
        rows += [
            ("whatif trace after an edit p50 / p99", f"{f(out['whatif_trace_p50_ms'], 'ms')} / {f(out['whatif_trace_p99_ms'], 'ms')}",
             f"target p50 ≤ {TARGETS['whatif_trace_p50_ms']} ms {verdict(out['met'].get('whatif_trace'))}"),
            ("whatif matrix delta (median / worst edit)",
             f"{out['whatif_delta_share_median']:.1%} / {out['whatif_delta_share_max']:.1%} of a matrix",
             f"target ≤ {TARGETS['whatif_delta_vs_matrix']:.0%} {verdict(out['met'].get('whatif_delta'))}"),
            ("whatif dependency index", f(out.get("whatif_index_s")), "built once after the first matrix"),
        ]
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(b) for _, b, _ in rows)
    lines = [f"{a:<{w0}}  {b:>{w1}}  {c}".rstrip() for a, b, c in rows]
    if out.get("tui_responsive"):
        lines.append(f"TUI keys on the large network (ms): {out['tui_responsive']}")
    if out.get("verdicts"):
        lines.append(f"verdicts: {out['verdicts']}")
    for row in out.get("whatif_edits", ()):
        lines.append(f"whatif: {row['edit']}: {row['delta_s'] * 1000:.0f} ms ({row['share_of_matrix']:.1%} of a matrix), "
                     f"{row['recomputed']} traces re-traced, {row['changed']} changed")
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
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: engine,whatif,e2e,paint,stall,live,ssh")
    ap.add_argument("--scale", action="store_true",
                    help="also the scale study (bench/scale.py): N = --scale-sizes functions, time and peak RSS "
                         "per function, and an organisation-wide estimate from the live figures")
    ap.add_argument("--scale-sizes", default="1000,5000,20000")
    ap.add_argument("--latency-ms", type=float, default=50.0,
                    help="the live part: every AWS response held this long by a loopback proxy (default 50; 0: none)")
    a = ap.parse_args(argv)
    n = a.functions or (500 if a.quick else 5000)
    repeat = a.repeat or (2 if a.quick else 3)
    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    out: dict = {"n_functions": n, "seed": a.seed, "quick": a.quick, "repeat": repeat,
                 "python": platform.python_version(), "cpus": os.cpu_count(),
                 "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    for k in ("parse_s", "load_s", "matrix_s", "matrix_paths", "trace_p50_ms", "trace_p99_ms", "paint_demo_s",
              "paint_large_s", "paint_bare_s", "live_s", "live_bare_s", "live_calls", "rss_mb", "e2e_s", "e2e_ratio",
              "live_first_screen_s", "latency_ms", "tui_max_stall_ms"):
        out[k] = None
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vpctui-bench-") as tmp:
        big = Path(tmp) / f"synthetic-{n}.yaml"
        big.write_text(generate.dump(generate.generate(n, a.seed)), encoding="utf-8")
        if "engine" not in skip:
            bench_engine(big, repeat, 2000 if not a.quick else 500, out, notes)
        out["rss_mb"] = round(peak_rss_mb(), 1)  # the engine phase: load + matrix + traces
        if "e2e" not in skip:
            bench_e2e(big, repeat, out, notes)
        if "whatif" not in skip:
            bench_whatif(big, out, notes, 200 if not a.quick else 100)
        if "paint" not in skip:
            bench_paint(big, repeat, out, notes)
        if "stall" not in skip:
            bench_stall(big, out, notes)
        if "live" not in skip:
            bench_live(out, notes, copies=10, repeat=repeat, latency_ms=a.latency_ms)
        if "ssh" not in skip:
            from ssh_bytes import bench_ssh

            bench_ssh(out, notes)
    if a.scale:
        from scale import run_scale

        out["scale"] = run_scale([int(x) for x in a.scale_sizes.split(",") if x.strip()], a.seed,
                                 out if out.get("live_calls") else None)
    out["rss_end_mb"] = round(peak_rss_mb(), 1)
    out["paths_per_s"] = out["matrix_paths"] / out["matrix_s"] if out.get("matrix_s") else None
    out["ratios"] = {
        "load_vs_parse": ratio(out["load_s"], out["parse_s"]),
        "matrix_vs_parse": ratio(out["matrix_s"], out["parse_s"]),
        "paint_demo_vs_bare": ratio(out["paint_demo_s"], out["paint_bare_s"]),
        "paint_large_vs_bare": ratio(out["paint_large_s"], out["paint_bare_s"]),
        "live_vs_bare": ratio(out["live_s"], out["live_bare_s"]),
        "live_first_screen_vs_bare": ratio(out["live_first_screen_s"], out["live_bare_s"]),
        "panes_filled_vs_parse": ratio((out.get("tui_stall") or {}).get("panes_filled_s"), out["parse_s"]),
    }
    r = out["ratios"]
    out["met"] = {
        "matrix": None if r["matrix_vs_parse"] is None else r["matrix_vs_parse"] <= TARGETS["matrix_vs_parse"],
        "trace": None if out["trace_p50_ms"] is None else out["trace_p50_ms"] <= TARGETS["trace_p50_ms"],
        "paint": None if r["paint_demo_vs_bare"] is None else r["paint_demo_vs_bare"] <= TARGETS["paint_demo_vs_bare"],
        "live": None if r["live_vs_bare"] is None else r["live_vs_bare"] <= (
            TARGETS["live_vs_bare_latency"] if out.get("latency_ms") else TARGETS["live_vs_bare"]),
        "live_first_screen": None if r["live_first_screen_vs_bare"] is None or not out.get("latency_ms")
        else r["live_first_screen_vs_bare"] <= TARGETS["live_first_screen_vs_bare"],
        "e2e": None if out["e2e_ratio"] is None else out["e2e_ratio"] <= TARGETS["e2e_ratio"],
        "stall": None if out["tui_max_stall_ms"] is None else out["tui_max_stall_ms"] <= TARGETS["tui_max_stall_ms"],
        "filter_cpu": None if out.get("tui_filter_key_cpu_ms") is None
        else out["tui_filter_key_cpu_ms"] <= TARGETS["filter_key_cpu_ms"],
        "paint_loading": None if out.get("paint_loading_s") is None else out["paint_loading_s"] <= TARGETS["paint_loading_s"],
        "panes_filled": None if r["panes_filled_vs_parse"] is None else r["panes_filled_vs_parse"] <= TARGETS["panes_filled_vs_parse"],
        "ssh": None if out.get("ssh_nav_max_bytes_80x24") is None else all(
            out.get(f"ssh_nav_median_bytes_{t}", 1e9) <= TARGETS["ssh_nav_median_bytes"]
            and out.get(f"ssh_nav_max_bytes_{t}", 1e9) <= TARGETS["ssh_nav_max_bytes"]
            and out.get(f"ssh_action_max_bytes_{t}", 1e9) <= TARGETS[f"ssh_action_max_bytes_{t}"]
            for t in ("120x36", "80x24")),
        "ssh_mouse_motion": None if out.get("ssh_mouse_motion_max_bytes_80x24") is None else all(
            out.get(f"ssh_mouse_motion_max_bytes_{t}", 1e9) <= TARGETS["ssh_mouse_motion_bytes"]
            for t in ("120x36", "80x24")),
        "rss": None if "engine" in skip else out["rss_mb"] <= TARGETS["rss_mb"],
        "whatif_trace": None if out.get("whatif_trace_p50_ms") is None
        else out["whatif_trace_p50_ms"] <= TARGETS["whatif_trace_p50_ms"],
        "whatif_delta": None if out.get("whatif_delta_share_max") is None
        else out["whatif_delta_share_max"] <= TARGETS["whatif_delta_vs_matrix"],
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
