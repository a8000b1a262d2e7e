#!/usr/bin/env python3
"""A loopback stand-in for a YARN ResourceManager and the JobManager it points at.

Serves GET /ws/v1/cluster/apps/{id} from the documented Hadoop shapes in
tests/fixtures/yarn-rm/ (no YARN runs on the test machines), and the few
JobManager REST calls `sp job start` makes, so a yarn-application start can run
end to end against a real HTTP server.

  yarn_rm_server.py PORT_FILE APPS_FILE FIXTURES_DIR

APPS_FILE has one line per application: `<id> <shape> [<shape>...]`. Each
request for the application answers with the next shape, then keeps the last
(`accepted.json running.json`: ACCEPTED once, then RUNNING); an id not listed
answers 404 with Hadoop's RemoteException. The file is read on every request,
so a test can change it. RUNNING's amRPCAddress is rewritten to this server,
which then answers as the JobManager: one RUNNING job. While no application
in APPS_FILE ends in running.json, the JobManager is gone: its requests get
no answer.
"""
import json
import pathlib
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT_FILE, APPS_FILE, FIXTURES = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
JOB_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
asked = {}  # application id -> requests so far


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def apps(self):
        table = {}
        for line in APPS_FILE.read_text().splitlines():
            words = line.split()
            if words:
                table[words[0]] = words[1:]
        return table

    def do_GET(self):
        path = self.path.split("?")[0]
        prefix = "/ws/v1/cluster/apps/"
        if path.startswith(prefix):
            app_id = path[len(prefix):]
            shapes = self.apps().get(app_id)
            if not shapes:
                self.send(404, (FIXTURES / "not-found.json").read_bytes())
                return
            index = min(asked.get(app_id, 0), len(shapes) - 1)
            asked[app_id] = asked.get(app_id, 0) + 1
            body = json.loads((FIXTURES / shapes[index]).read_text())
            body["app"]["id"] = app_id
            if body["app"]["state"] == "RUNNING":
                body["app"]["amRPCAddress"] = "127.0.0.1:%d" % self.server.server_port
            self.send(200, body)
        elif not any(shapes[-1] == "running.json" for shapes in self.apps().values()):
            self.close_connection = True  # the JobManager ended with its application
        elif path == "/config":
            self.send(200, {"flink-version": "1.20.5", "refresh-interval": 3000})
        elif path == "/jobs/overview":
            self.send(200, {"jobs": [{"jid": JOB_ID, "name": "yarn-job", "state": "RUNNING", "start-time": 1,
                                      "end-time": -1, "duration": 1, "last-modification": 1,
                                      "tasks": {"total": 1, "running": 1}}]})
        elif path == "/jobs/%s/checkpoints" % JOB_ID:
            self.send(200, {"counts": {"restored": 0, "total": 0, "in_progress": 0, "completed": 0, "failed": 0},
                            "latest": {"completed": None, "savepoint": None, "failed": None, "restored": None},
                            "history": []})
        else:
            self.send(404, {"errors": ["Not found: " + path]})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
pathlib.Path(PORT_FILE).write_text(str(server.server_port))
server.serve_forever()
