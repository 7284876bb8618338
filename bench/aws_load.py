"""Benchmark (not a test): API calls and wall time of a live load against moto's server.

    python bench/aws_load.py [--runs 5]

Builds the seed's VPC (4 subnets, 4 functions) and a network ten times larger (10 such VPCs: 40
subnets, 40 functions, 10 NAT gateways, 20 endpoints), loads each through the real loader and
prints the number of API calls by operation, HTTP requests, and the median wall time.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from tests.live import envs  # noqa: E402
from vpctui.loaders import AwsOptions  # noqa: E402
from vpctui.loaders.aws import load_account  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                      AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=url, AWS_EC2_METADATA_DISABLED="true")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    rows = []
    try:
        for label, copies in (("seed VPC (1 VPC, 4 subnets, 4 functions)", 1),
                              ("10x (10 VPCs, 40 subnets, 40 functions)", 10)):
            urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST")).read()
            envs.build_seed(boto3.session.Session(), copies=copies)
            times, calls, sends = [], Counter(), 0
            for i in range(args.runs):
                sess = boto3.session.Session()
                c: Counter = Counter()
                n_send = [0]
                sess.events.register("before-call", lambda model, c=c, **kw: c.update([f"{model.service_model.service_name}:{model.name}"]))
                sess.events.register("before-send", lambda n=n_send, **kw: n.__setitem__(0, n[0] + 1))
                t0 = time.perf_counter()
                net = load_account(AwsOptions(targets=envs.TARGETS), session=sess)
                times.append(time.perf_counter() - t0)
                calls, sends = c, n_send[0]
            rows.append((label, sum(calls.values()), sends, statistics.median(times), min(times), len(net.vpcs),
                         len(net.subnets), len(net.functions), calls))
    finally:
        server.stop()
    for label, ncalls, nsend, med, best, nv, ns, nf, calls in rows:
        print(f"{label}: {ncalls} API calls ({nsend} HTTP requests), median {med:.2f}s, best {best:.2f}s "
              f"over {args.runs} runs; loaded {nv} VPCs (incl. moto's default), {ns} subnets, {nf} functions")
        per_vpc = {k: v for k, v in calls.items() if v > 1}
        print(f"  calls > 1: {dict(sorted(per_vpc.items()))}")
    if len(rows) == 2:
        print(f"ratio 10x/seed: calls {rows[1][1] / rows[0][1]:.2f}, time {rows[1][3] / rows[0][3]:.2f}")


if __name__ == "__main__":
    main()
