#!/usr/bin/env python3
"""A loopback HTTP proxy in front of one JobManager that counts requests.

    counting_proxy.py PORT UPSTREAM LOG

Forwards every request to UPSTREAM (http://127.0.0.1:8081) and appends
"METHOD PATH" to LOG, so a benchmark can say how many requests a command
made. Standard library only; stops on SIGTERM.
"""
import http.server
import sys
import urllib.error
import urllib.request

port, upstream, log_path = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3]


class Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        with open(log_path, "a") as log:
            log.write(f"{self.command} {self.path}\n")
        request = urllib.request.Request(upstream + self.path, data=body, method=self.command)
        for key in ("Content-Type", "Authorization"):
            if self.headers.get(key):
                request.add_header(key, self.headers[key])
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, payload, kind = answer.status, answer.read(), answer.headers.get("Content-Type")
        except urllib.error.HTTPError as error:
            status, payload, kind = error.code, error.read(), error.headers.get("Content-Type")
        self.send_response(status)
        self.send_header("Content-Type", kind or "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = forward

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Forward).serve_forever()
