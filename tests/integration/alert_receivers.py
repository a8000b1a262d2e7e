#!/usr/bin/env python3
"""Receivers for sp's alert delivery tests, on loopback, standard library only.

  alert_receivers.py webhook --port-file FILE --record DIR [--fail-first N]
  alert_receivers.py smtp    --port-file FILE --record DIR

webhook: answers every POST with 500 for the first N requests, then 200, and
writes each request to DIR/webhook-<n>.json (path, headers, body, status).

smtp: a minimal SMTP responder (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT; no STARTTLS, no AUTH). A recipient containing "reject" gets 550.
Each accepted message is written to DIR/mail-<n>.json (mail_from, rcpt_to,
data with dot-stuffing undone). Python's smtpd is deprecated, hence this.

The chosen port is written to --port-file once the server listens.
"""
import argparse
import http.server
import json
import os
import socketserver
import threading

counter_lock = threading.Lock()
counters = {}


def next_number(kind):
    with counter_lock:
        counters[kind] = counters.get(kind, 0) + 1
        return counters[kind]


def record(directory, kind, number, document):
    path = os.path.join(directory, f"{kind}-{number}.json")
    with open(path + ".tmp", "w") as out:
        json.dump(document, out, indent=2)
    os.rename(path + ".tmp", path)  # readers never see half a file


def webhook_handler(directory, fail_first):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            number = next_number("webhook")
            status = 500 if number <= fail_first else 200
            record(directory, "webhook", number,
                   {"path": self.path, "headers": dict(self.headers.items()), "body": body, "status": status})
            answer = b"try later" if status == 500 else b"ok"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Handler


def smtp_handler(directory):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line):
            self.wfile.write(line.encode("ascii") + b"\r\n")
            self.wfile.flush()

        def handle(self):
            self.reply("220 localhost test SMTP")
            mail_from, rcpt_to = None, []
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line[:4].upper()
                if verb == "EHLO":
                    self.reply("250-localhost")
                    self.reply("250 8BITMIME")
                elif verb == "HELO":
                    self.reply("250 localhost")
                elif line.upper().startswith("MAIL FROM:"):
                    mail_from, rcpt_to = line[10:].strip(), []
                    self.reply("250 OK")
                elif line.upper().startswith("RCPT TO:"):
                    address = line[8:].strip()
                    if "reject" in address:
                        self.reply("550 no such user")
                    else:
                        rcpt_to.append(address)
                        self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    lines = []
                    while True:
                        raw = self.rfile.readline()
                        if not raw or raw == b".\r\n":
                            break
                        if raw.startswith(b".."):
                            raw = raw[1:]
                        lines.append(raw.decode("utf-8"))
                    record(directory, "mail", next_number("mail"),
                           {"mail_from": mail_from, "rcpt_to": rcpt_to, "data": "".join(lines)})
                    self.reply("250 OK queued")
                elif verb == "RSET":
                    mail_from, rcpt_to = None, []
                    self.reply("250 OK")
                elif verb == "NOOP":
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("502 not implemented")

    return Handler


class SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["webhook", "smtp"])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    if args.kind == "webhook":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), webhook_handler(args.record, args.fail_first))
    else:
        server = SmtpServer(("127.0.0.1", 0), smtp_handler(args.record))
    with open(args.port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
