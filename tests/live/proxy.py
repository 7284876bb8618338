"""A fault proxy in front of moto's server: a real HTTP hop a subprocess (the `vpctui` CLI, the TUI
in tmux) can be pointed at with AWS_ENDPOINT_URL, where the test decides what one operation gets.

Faults, per operation (EC2/IAM/STS "Action=..." in the form body, JSON services' X-Amz-Target,
Lambda's REST path): ``stall`` (hold the request until the proxy stops: a slow API), ``deny``
(403 AccessDenied in the operation's protocol), ``garbage`` (200 with an HTML page), ``die``
(close the connection without an answer: the server went away). Everything else is forwarded.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

EC2_DENIED = ('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>'
              '<Message>{msg}</Message></Error></Errors><RequestID>proxy-1</RequestID></Response>')
QUERY_DENIED = ('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{msg}</Message></Error>'
                '<RequestId>proxy-1</RequestId></ErrorResponse>')
JSON_DENIED = '{{"__type": "AccessDeniedException", "Message": "{msg}"}}'


def operation_of(method: str, path: str, headers, body: bytes) -> str:
    """The API operation a request calls, as well as the proxy can tell."""
    target = headers.get("X-Amz-Target", "")
    if target:
        return target.rsplit(".", 1)[-1]
    if body and b"Action=" in body:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        return form.get("Action", [""])[0]
    p = urllib.parse.urlparse(path).path
    if p.startswith("/2015-03-31/functions") and method == "GET":
        return "ListFunctions"
    return ""


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = urllib.parse.urlparse(upstream)
        self.faults: dict[str, str] = {}  # operation -> stall | deny | garbage | die
        self.stall_all_but: Optional[set[str]] = None  # stall every operation but these
        self.seen: list[str] = []
        self.release = threading.Event()
        self.message = "User: arn:aws:sts::123456789012:assumed-role/vpctui-reader/session is not authorized"
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_a):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                op = operation_of(self.command, self.path, self.headers, body)
                proxy.seen.append(op)
                fault = proxy.faults.get(op)
                if proxy.stall_all_but is not None and op not in proxy.stall_all_but:
                    fault = "stall"
                if fault == "stall":
                    proxy.release.wait()
                    self.close_connection = True
                    return
                if fault == "die":
                    self.close_connection = True
                    return
                if fault == "garbage":
                    return self._send(200, "text/html", b"<html><body>502 Bad Gateway</body></html>")
                if fault == "deny":
                    if self.headers.get("X-Amz-Target") or op == "ListFunctions":
                        payload = JSON_DENIED.format(msg=proxy.message)
                        return self._send(403, "application/x-amz-json-1.1", payload.encode(),
                                          {"x-amzn-ErrorType": "AccessDeniedException"})
                    tmpl = EC2_DENIED if self.headers.get("Host", "").startswith("ec2") or b"Version=2016-11-15" in body else QUERY_DENIED
                    return self._send(403, "text/xml", tmpl.format(msg=proxy.message).encode())
                self._forward(body)

            def _send(self, status: int, ctype: str, payload: bytes, extra: Optional[dict] = None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            def _forward(self, body: bytes):
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FaultProxy":
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
