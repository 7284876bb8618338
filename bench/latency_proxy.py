"""A loopback HTTP proxy that answers every request after a fixed delay, as a real AWS region would.

moto's server answers in about a millisecond, so concurrency in the live loader shows nothing against
it; AWS answers in 20-150 ms a call. The proxy forwards each request to moto on 127.0.0.1 and holds
the response for ``latency_ms``. Benchmark code only: it binds to 127.0.0.1 and forwards only to the
upstream given (also on loopback).

``python bench/latency_proxy.py UPSTREAM LATENCY_MS`` runs it in a process of its own (as bench/run.py
does: AWS is not in the loader's process, so the proxy's CPU should not share its interpreter lock);
it prints its URL on one line and serves until its stdin closes, then prints the requests served.
"""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "content-length"}


class LatencyProxy:
    def __init__(self, upstream: str, latency_ms: float) -> None:
        up = urlsplit(upstream)
        if up.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the latency proxy forwards to loopback only")
        self.upstream_host, self.upstream_port = up.hostname, up.port or 80
        self.delay = latency_ms / 1000.0
        self.requests = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects

            def log_message(self, *args) -> None:  # quiet
                pass

            def _forward(self) -> None:
                start = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                conn.close()
                proxy.requests += 1
                left = proxy.delay - (time.perf_counter() - start)
                if left > 0:
                    time.sleep(left)
                self.send_response(resp.status, resp.reason)
                for k, v in resp.getheaders():
                    if k.lower() not in _HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        class Server(ThreadingHTTPServer):
            # the default listen backlog (5) drops connections when 16+ calls open at once, and
            # the client's SYN retry then adds a whole second: AWS's endpoints have no such limit
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LatencyProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    import sys

    with LatencyProxy(sys.argv[1], float(sys.argv[2])) as p:
        print(p.url, flush=True)
        sys.stdin.read()
        print(p.requests, flush=True)
