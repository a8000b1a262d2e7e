#!/usr/bin/env python3
"""Writes the JobManager trees the watch benchmark serves with nginx.

From the bodies recorded from a real cluster (tests/fixtures/watch-bench/,
tests/bench/record_watch_fixture.sh) it makes JOBMANAGERS trees of JOBS
running jobs each, under OUT/www/<port>/ (nginx picks the root by port):

  jobs/overview               every job of that JobManager, RUNNING
  jobs/<id>/checkpoints       the recorded body, its job id replaced (same size)
  jobs/<id>/job.json          the recorded job details (served as /jobs/<id>)
  jobs/<id>/checkpoints-config.json
                              the recorded checkpoint configuration, its interval
                              set by --checkpoint-interval (served as
                              /jobs/<id>/checkpoints/config)
  config                      the recorded /config

and beside them what the benchmark's sp database needs:

  objects.yaml   one remote Cluster per JobManager and one Job per running job
  runs.tsv       job name, Flink job id, REST URL: the live runs to insert
  urls.txt       the requests of one watch cycle: each JobManager's
                 /jobs/overview, then each of its jobs' /jobs/<id>/checkpoints

Bodies are written byte for byte as recorded (Flink's compact JSON), with
only the job id and name replaced and every epoch-millisecond time moved by
the same amount, so the newest checkpoint completed a second before the
generator ran (else the watcher would rightly find every job's checkpoints
stale and alert on all of them). Sizes stay those of the real cluster.
Job ids are derived from the JobManager and job numbers, so every run of the
generator writes the same trees. Standard library only.
"""
import argparse
import hashlib
import json
import os
import re
import sys
import time

# An epoch-millisecond time as a JSON value (2001-2286): 13 digits after a colon.
TIME = re.compile(r"(?<=:)(1[0-9]{12})(?![0-9.])")


def job_id(jm, k):
    return hashlib.md5(f"sp-watch-bench/{jm}/{k}".encode()).hexdigest()


def job_name(jm, k):
    return f"bench-{jm:03d}-{k:03d}"


def shift_times(text, delta_ms):
    return TIME.sub(lambda m: str(int(m.group(1)) + delta_ms), text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fixtures", required=True, help="directory of the recorded bodies")
    p.add_argument("--out", required=True, help="output directory (created; written over when it exists)")
    p.add_argument("--jobmanagers", type=int, default=100)
    p.add_argument("--jobs", type=int, default=100, help="running jobs per JobManager")
    p.add_argument("--base-port", type=int, default=19500)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--jar", required=True, help="the artifact every job names")
    p.add_argument("--checkpoint-interval", type=int, default=None,
                   help="every job's checkpoint interval in ms (default: the recorded one)")
    a = p.parse_args()
    if a.jobmanagers < 1 or a.jobs < 1 or not 1024 <= a.base_port <= 65535 - a.jobmanagers:
        sys.exit("gen_watch_fixtures.py: error: need at least one JobManager and one job, ports 1024-65535")

    checkpoints = read(os.path.join(a.fixtures, "job-checkpoints.json"))
    delta = int(time.time() * 1000) - 1000 - max(int(t) for t in TIME.findall(checkpoints))
    checkpoints = shift_times(checkpoints, delta)
    overview = json.loads(shift_times(read(os.path.join(a.fixtures, "jobs-overview.json")), delta))
    template = overview["jobs"][0]
    recorded_id, recorded_name = template["jid"], template["name"]
    details = shift_times(read(os.path.join(a.fixtures, "job.json")), delta)
    config = read(os.path.join(a.fixtures, "config.json"))
    checkpoint_config = json.loads(read(os.path.join(a.fixtures, "job-checkpoints-config.json")))
    if a.checkpoint_interval is not None:
        checkpoint_config["interval"] = a.checkpoint_interval
    checkpoint_config = json.dumps(checkpoint_config, separators=(",", ":"))
    if recorded_id not in checkpoints:
        sys.exit("gen_watch_fixtures.py: error: the recorded checkpoints do not name the recorded job")

    www = os.path.join(a.out, "www")
    manifests = ["apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: jm-%03d}\nspec: {type: remote, url: \"%s\"}\n"
                 % (jm, f"http://{a.host}:{a.base_port + jm}") for jm in range(a.jobmanagers)]
    runs, urls = [], []
    for jm in range(a.jobmanagers):
        port = a.base_port + jm
        url = f"http://{a.host}:{port}"
        root = os.path.join(www, str(port))
        os.makedirs(os.path.join(root, "jobs"), exist_ok=True)
        write(os.path.join(root, "config"), config)
        urls.append(url + "/jobs/overview")
        entries = []
        for k in range(a.jobs):
            jid, name = job_id(jm, k), job_name(jm, k)
            entries.append(dict(template, jid=jid, name=name))
            job_dir = os.path.join(root, "jobs", jid)
            os.makedirs(job_dir, exist_ok=True)  # written again for another interval
            write(os.path.join(job_dir, "checkpoints"), checkpoints.replace(recorded_id, jid))
            write(os.path.join(job_dir, "checkpoints-config.json"), checkpoint_config)
            write(os.path.join(job_dir, "job.json"),
                  details.replace(recorded_id, jid).replace(json.dumps(recorded_name), json.dumps(name)))
            manifests.append("apiVersion: sp/v1\nkind: Job\nmetadata: {name: %s}\n"
                             "spec: {cluster: jm-%03d, artifact: {jar: \"%s\"}}\n" % (name, jm, a.jar))
            runs.append(f"{name}\t{jid}\t{url}\n")
            urls.append(f"{url}/jobs/{jid}/checkpoints")
        write(os.path.join(root, "jobs", "overview"), json.dumps({"jobs": entries}, separators=(",", ":")))

    write(os.path.join(a.out, "objects.yaml"), "---\n".join(manifests))
    write(os.path.join(a.out, "runs.tsv"), "".join(runs))
    write(os.path.join(a.out, "urls.txt"), "\n".join(urls) + "\n")
    print(f"gen_watch_fixtures.py: {a.jobmanagers} JobManagers x {a.jobs} jobs, "
          f"checkpoints body {len(checkpoints)} bytes, into {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
