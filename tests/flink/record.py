#!/usr/bin/env python3
"""Drive a real Flink cluster through a job's whole life and record its REST answers.

    record.py VERSION [--url URL] [--jar JAR] [--out DIR]

Writes one pretty-printed JSON file per response into
tests/fixtures/flink-VERSION/ (VERSION as reported by the cluster), plus
index.json and README.md listing each file with the request that produced it
and the HTTP status. Responses are kept as Flink sent them (only re-indented).

The cluster should be fresh (record.sh starts one), so that /overview and
/jobs/overview hold only the jobs made here. Python standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TIMEOUT = 120  # seconds for any one wait


class Failure(Exception):
    pass


class Recorder:
    def __init__(self, url, out_dir):
        self.url = url.rstrip("/")
        self.out_dir = out_dir
        self.entries = []

    # -- HTTP ----------------------------------------------------------------

    def request(self, method, path, body=None, data=None, headers=None):
        """Returns (status, parsed JSON body or raw text)."""
        headers = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        except (urllib.error.URLError, OSError) as e:  # refused, reset, timed out
            raise Failure(f"{method} {self.url}{path} failed: {e}") from e
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, text

    def get(self, path):
        status, body = self.request("GET", path)
        if status != 200:
            raise Failure(f"GET {path} answered {status}: {body}")
        return body

    # -- recording -----------------------------------------------------------

    def record(self, name, method, path, body=None, note="", expect=None,
               data=None, headers=None, request_shown=None):
        status, resp = self.request(method, path, body=body, data=data, headers=headers)
        if expect is not None and status not in expect:
            raise Failure(f"{method} {path} answered {status}, expected {expect}: {resp}")
        self.save(name, method, path, status, resp, request_shown if request_shown is not None else body, note)
        return status, resp

    def save(self, name, method, path, status, resp, request_body, note):
        file = name + ".json"
        with open(os.path.join(self.out_dir, file), "w", encoding="utf-8") as f:
            if isinstance(resp, str):
                json.dump({"_non_json_body": resp}, f, indent=2)
            else:
                json.dump(resp, f, indent=2, ensure_ascii=False)
            f.write("\n")
        self.entries.append({"file": file, "method": method, "path": path, "status": status,
                             "request": request_body, "note": note})
        print(f"  {status} {method} {path} -> {file}", file=sys.stderr)

    # -- waiting -------------------------------------------------------------

    def wait(self, what, probe, timeout=TIMEOUT, interval=0.3):
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise Failure(f"timed out after {timeout}s waiting for {what}")
            time.sleep(interval)

    def job_state(self, jid):
        return self.get(f"/jobs/{jid}")["state"]

    def wait_state(self, jid, states):
        def probe():
            state = self.job_state(jid)
            return state if state in states else None
        return self.wait(f"job {jid} to reach {states}", probe)

    def wait_running(self, jid):
        # RUNNING with every task running, so checkpoints can start.
        def probe():
            j = self.get(f"/jobs/{jid}")
            if j["state"] in ("FAILED", "CANCELED", "FINISHED"):
                raise Failure(f"job {jid} ended as {j['state']} while waiting for RUNNING")
            return j["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in j["vertices"])
        self.wait(f"job {jid} to run all its tasks", probe)

    def wait_checkpoints(self, jid, n):
        self.wait(f"{n} completed checkpoints of job {jid}",
                  lambda: self.get(f"/jobs/{jid}/checkpoints")["counts"]["completed"] >= n)

    def wait_operation(self, path):
        def probe():
            s = self.get(path)
            return s if s["status"]["id"] == "COMPLETED" else None
        return self.wait(f"{path} to complete", probe, interval=0.1)

    # -- index ---------------------------------------------------------------

    def write_index(self, version, jar_name):
        with open(os.path.join(self.out_dir, "index.json"), "w", encoding="utf-8") as f:
            json.dump({"flink-version": version, "jar": jar_name, "responses": self.entries}, f, indent=2)
            f.write("\n")
        lines = [
            f"# Flink {version} REST responses",
            "",
            "Recorded from a real standalone cluster by `tests/flink/record.sh "
            f"{version}` (see tests/flink/README.md), driving `{jar_name}` "
            "(examples/flink-job) through a whole life. Bodies are as Flink sent them, "
            "only re-indented; ids, times and paths are those of the recording run. "
            "`index.json` holds the same list in machine-readable form, with the request bodies.",
            "",
            "| file | request | status | what |",
            "|---|---|---|---|",
        ]
        for e in self.entries:
            req = f"`{e['method']} {e['path']}`"
            if e["request"] is not None:
                req += " `" + json.dumps(e["request"], separators=(",", ":")) + "`"
            lines.append(f"| {e['file']} | {req} | {e['status']} | {e['note']} |")
        with open(os.path.join(self.out_dir, "README.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def multipart_jar(path):
    boundary = "----sp-record-" + uuid.uuid4().hex
    with open(path, "rb") as f:
        content = f.read()
    name = os.path.basename(path)
    data = (f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="jarfile"; filename="{name}"\r\n'
            "Content-Type: application/x-java-archive\r\n\r\n").encode() + content + \
        f"\r\n--{boundary}--\r\n".encode()
    return data, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def version_tuple(v):
    return tuple(int(x) for x in v.split("-")[0].split(".")[:2])


def restore_fields(version, path):
    """The restore part of a run request in this version's dialect (SPEC 9)."""
    fields = {"savepointPath": path, "allowNonRestoredState": False}
    if version_tuple(version) >= (1, 20):
        fields["claimMode"] = "NO_CLAIM"
    elif version_tuple(version) >= (1, 15):
        fields["restoreMode"] = "NO_CLAIM"
    return fields


def run_life(r, jar):
    c = r.record("config", "GET", "/config", note="cluster config, `flink-version` picks the REST dialect", expect=[200])[1]
    version = c["flink-version"]
    r.record("overview-empty", "GET", "/overview", note="fresh cluster: one TaskManager, all slots free", expect=[200])

    data, headers = multipart_jar(jar)
    up = r.record("jars-upload", "POST", "/jars/upload", data=data, headers=headers, expect=[200],
                  request_shown={"multipart/form-data": {"jarfile": os.path.basename(jar)}},
                  note="multipart upload of the example jar")[1]
    jar_id = os.path.basename(up["filename"])
    r.record("jars", "GET", "/jars", note="uploaded jars, with the manifest entry class", expect=[200])
    run = f"/jars/{jar_id}/run"

    # -- a job that runs, checkpoints, takes a savepoint and stops with one --
    body = {"programArgsList": ["--name", "sp-fixture-main", "--rate", "20"]}
    a = r.record("jar-run", "POST", run, body=body, expect=[200], note="submission: the new job id")[1]["jobid"]
    r.wait_running(a)
    r.record("jobs-overview-running", "GET", "/jobs/overview", note="one RUNNING job", expect=[200])
    r.record("job-running", "GET", f"/jobs/{a}", note="job details while RUNNING", expect=[200])
    r.wait_checkpoints(a, 2)
    r.record("job-checkpoints-running", "GET", f"/jobs/{a}/checkpoints",
             note="checkpoint statistics after at least 2 completed checkpoints; `latest.restored` is null", expect=[200])
    r.record("job-checkpoints-config", "GET", f"/jobs/{a}/checkpoints/config",
             note="checkpoint config: interval, externalization (retained on cancellation)", expect=[200])

    record_async(r, f"/jobs/{a}/savepoints", f"/jobs/{a}/savepoints", {"cancel-job": False}, "savepoint",
                 "savepoint into the cluster's default directory")
    stop_status = record_async(r, f"/jobs/{a}/stop", f"/jobs/{a}/savepoints", {"drain": False}, "stop",
                               "stop with savepoint (no drain)")
    stop_path = stop_status["operation"]["location"]
    r.wait_state(a, ["FINISHED"])
    r.record("job-finished", "GET", f"/jobs/{a}", note="job details after stop-with-savepoint: FINISHED", expect=[200])

    # -- restore from the stop-savepoint ----------------------------------
    body = {"programArgsList": ["--name", "sp-fixture-restored", "--output-prefix", "restored"]}
    body.update(restore_fields(version, stop_path))
    b = r.record("jar-run-restore", "POST", run, body=body, expect=[200],
                 note="submission restoring from the stop-savepoint, in this version's dialect")[1]["jobid"]
    r.wait_running(b)
    r.wait(f"job {b} to report its restore",
           lambda: (r.get(f"/jobs/{b}/checkpoints").get("latest") or {}).get("restored"))
    r.wait_checkpoints(b, 1)
    r.record("job-checkpoints-restored", "GET", f"/jobs/{b}/checkpoints",
             note="`latest.restored.external_path` names the savepoint the job restored from", expect=[200])

    # -- a second job side by side, which fails ----------------------------
    body = {"programArgsList": ["--name", "sp-fixture-failing", "--fail-after", "40"]}
    f = r.record("jar-run-fail-after", "POST", run, body=body, expect=[200],
                 note="a job that throws after 40 records, with no restarts")[1]["jobid"]
    r.wait_state(f, ["FAILED"])
    r.record("job-failed", "GET", f"/jobs/{f}", note="job details: FAILED", expect=[200])
    r.record("job-exceptions-failed", "GET", f"/jobs/{f}/exceptions",
             note="root exception and history of the failed job", expect=[200])

    r.record("jobs-overview-mixed", "GET", "/jobs/overview",
             note="RUNNING (restored), FINISHED (stopped) and FAILED jobs", expect=[200])
    r.record("overview-busy", "GET", "/overview", note="cluster overview with jobs in every state so far", expect=[200])

    # -- cancel ------------------------------------------------------------
    r.record("job-cancel", "PATCH", f"/jobs/{b}?mode=cancel", note="cancel: accepted, empty body", expect=[202])
    r.wait_state(b, ["CANCELED"])
    r.record("job-cancelled", "GET", f"/jobs/{b}", note="job details: CANCELED", expect=[200])
    r.record("job-checkpoints-cancelled", "GET", f"/jobs/{b}/checkpoints",
             note="checkpoints of the cancelled job; the latest completed one is retained on disk", expect=[200])
    r.record("jobs-overview-terminal", "GET", "/jobs/overview",
             note="FINISHED, CANCELED and FAILED jobs, none running", expect=[200])
    r.record("jobs", "GET", "/jobs", note="job ids with status", expect=[200])

    # -- errors ------------------------------------------------------------
    r.record("error-job-not-found", "GET", "/jobs/00000000000000000000000000000000",
             note="unknown job id")
    r.record("error-job-checkpoints-not-found", "GET", "/jobs/00000000000000000000000000000000/checkpoints",
             note="checkpoints of an unknown job id")
    r.record("error-job-id-malformed", "GET", "/jobs/not-a-job-id", note="malformed job id")
    r.record("error-run-bad-request", "POST", run, body={"programArgsList": "--rate 5", "parallelism": "many"},
             note="run request with fields of the wrong type")
    r.record("error-run-unknown-jar", "POST", "/jars/00000000-0000-0000-0000-000000000000_missing.jar/run",
             body={"programArgsList": []}, note="run of a jar id that was never uploaded")
    r.record("error-run-fail-at-start", "POST", run,
             body={"programArgsList": ["--name", "sp-fixture-fail-at-start", "--fail-at-start"]},
             note="the job's main() throws before execute(): the submission error carries the cause")
    r.record("error-run-bad-savepoint", "POST", run,
             body=dict({"programArgsList": ["--name", "sp-fixture-bad-restore"]},
                       **restore_fields(version, "file:///nonexistent/savepoint-000000-000000000000")),
             note="restore from a savepoint path that does not exist")
    r.record("error-cancel-finished-job", "PATCH", f"/jobs/{a}?mode=cancel",
             note="cancel of a job that already finished (conflict)")
    for name, op, body in (("stop", "stop", {"drain": False}), ("savepoint", "savepoints", {"cancel-job": False})):
        what = "stop-with-savepoint" if name == "stop" else "savepoint"
        status, resp = r.record(f"error-{name}-finished-job", "POST", f"/jobs/{a}/{op}", body=body,
                                note=f"{what} of a job that already finished")
        if status == 202 and isinstance(resp, dict) and "request-id" in resp:
            path = f"/jobs/{a}/savepoints/{resp['request-id']}"
            r.wait(f"{path} to settle", lambda: r.get(path)["status"]["id"] == "COMPLETED", interval=0.1)
            r.record(f"error-{name}-finished-job-status", "GET", path,
                     note=f"status of that {what}: COMPLETED with a `failure-cause`", expect=[200])
    r.record("error-savepoint-status-unknown-trigger", "GET",
             f"/jobs/{a}/savepoints/00000000000000000000000000000000",
             note="savepoint status for a trigger id that does not exist")
    return version


def record_async(r, base, status_base, body, name, what):
    """Triggers a savepoint or stop, records the trigger, an in-progress
    status if one can be seen, and the completed status. Both operations
    report under /jobs/:id/savepoints/:triggerid."""
    st, resp = r.request("POST", base, body=body)
    if st != 202:
        raise Failure(f"POST {base} answered {st}: {resp}")
    # Asked at once, the status is usually still IN_PROGRESS (the state is tiny, so not always).
    status_path = f"{status_base}/{resp['request-id']}"
    s_st, s = r.request("GET", status_path)
    r.save(f"{name}-trigger", "POST", base, st, resp, body, f"{what}: the trigger id")
    if s_st == 200 and s["status"]["id"] == "IN_PROGRESS":
        r.save(f"{name}-status-in-progress", "GET", status_path, s_st, s, None, f"{what}: still in progress")
    else:
        print(f"  note: {name} completed before its first status poll; no in-progress fixture", file=sys.stderr)
    done = r.wait_operation(status_path)
    r.save(f"{name}-status-completed", "GET", status_path, 200, done, None,
           f"{what}: completed, `operation.location` is the savepoint path")
    if "location" not in done.get("operation", {}):
        raise Failure(f"{name} completed without a location: {done}")
    return done


def cluster_url(version):
    out = subprocess.run([os.path.join(HERE, "cluster.sh"), "url", version],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("version", help="Flink version or line (1.20, 1.20.5, 2.2, 2.2.1)")
    p.add_argument("--url", help="REST URL (default: cluster.sh url VERSION)")
    p.add_argument("--jar", help="job jar (default: examples/flink-job/target/sp-example-job-<line>.jar)")
    p.add_argument("--out", help="output dir (default: tests/fixtures/flink-<version>)")
    a = p.parse_args()

    url = a.url or cluster_url(a.version)
    line = ".".join(a.version.split(".")[:2])
    jar = a.jar or os.path.join(REPO, "examples", "flink-job", "target", f"sp-example-job-{line}.jar")
    if not os.path.isfile(jar):
        sys.exit(f"record.py: error: no job jar at {jar}: build it with "
                 f"'mvn -B -f examples/flink-job/pom.xml package -Pflink-{line}'")

    try:
        with urllib.request.urlopen(url + "/config", timeout=5) as resp:
            version = json.load(resp)["flink-version"]
    except Exception as e:  # noqa: BLE001 - any failure means no cluster there
        sys.exit(f"record.py: error: no Flink REST API at {url}: {e}")
    out = a.out or os.path.join(REPO, "tests", "fixtures", f"flink-{version}")
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith(".json") or old == "README.md":
            os.remove(os.path.join(out, old))

    print(f"record.py: recording Flink {version} at {url} into {out}", file=sys.stderr)
    r = Recorder(url, out)
    try:
        run_life(r, jar)
    except Failure as e:
        r.write_index(version, os.path.basename(jar))
        sys.exit(f"record.py: error: {e}")
    r.write_index(version, os.path.basename(jar))
    print(f"record.py: wrote {len(r.entries)} responses to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
