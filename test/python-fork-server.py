# A fork server for the tests' aws CLI and python3 runs (test/helpers.ts starts one per test worker).
#
# Starting the aws CLI costs about 0.7 s of a core here, most of it Python importing botocore and awscli before the
# command is even parsed; the suite runs the CLI thousands of times. This process imports them once, then forks a
# child for every request: each command still runs in a process of its own, with its own environment, working
# directory, standard streams and exit code, through the CLI's own entry point (awscli.clidriver.main, what the `aws`
# script calls) or `python3 -c`'s semantics, but starts with the modules already loaded.
#
# Requests, one JSON object per line on stdin:
#   {"id", "kind": "aws" | "python", "args": [...], "script"?, "cwd", "env", "stdin"?, "stdout", "stderr"}
# Answers, JSON lines on stdout written by the child itself: {"id", "pid"} when it starts, {"id", "code"} when done.
import builtins
import io
import json
import os
import signal
import sys
import traceback

import awscli
import awscli.clidriver
import boto3  # noqa: F401 (preloaded for python runs)
import botocore.exceptions
import botocore.loaders
import botocore.session

# What `import awscli` did to the environment, redone for each request's own environment (awscli/__init__.py).
AWSCLI_DATA = os.path.join(os.path.dirname(awscli.__file__), "data")

# Every command parses JSON data files again (botocore's loader caches per session, and each command has its own):
# the ten services' models, their rule sets, paginators and waiters, endpoints and partitions. That parsing was about
# 0.3 s of a command's 0.42 s of CPU. Files are parsed once here, before any fork, and each child finds them parsed
# (copy-on-write: what a child changes stays in the child). Files that do not exist are not remembered.
_parsed = {}
_load_file = botocore.loaders.JSONFileLoader.load_file


def _load_file_once(self, file_path):
    data = _parsed.get(file_path)
    if data is None:
        data = _load_file(self, file_path)
        if data is not None:
            _parsed[file_path] = data
    return data


botocore.loaders.JSONFileLoader.load_file = _load_file_once

# Import what building the CLI's command table imports (its plugins and customizations), with no request made.
awscli.clidriver.create_clidriver()._get_command_table()

_session = botocore.session.get_session()
for _service in ("ec2", "ecr", "ecs", "efs", "iam", "lambda", "logs", "s3", "servicediscovery", "sts"):
    _session.create_client(_service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    for _model in ("paginators-1", "waiters-2"):
        try:
            _session.get_component("data_loader").load_service_model(_service, _model)
        except botocore.exceptions.DataNotFoundError:
            pass
del _session

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are not waited for: each reports for itself
answers = os.dup(1)


def run(r):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.chdir(r["cwd"])
    env = r["env"]
    if r["kind"] == "aws":
        paths = [os.path.expandvars(os.path.expanduser(p)) for p in env.get("AWS_DATA_PATH", "").split(os.pathsep) if p]
        env = {**env, "AWS_DATA_PATH": os.pathsep.join([*paths, AWSCLI_DATA])}
        if env.get("LC_CTYPE", "") == "UTF-8":
            env["LC_CTYPE"] = "en_US.UTF-8"
    os.environ.clear()
    os.environ.update(env)
    for fd, path, flags in (
        (0, r.get("stdin") or os.devnull, os.O_RDONLY),
        (1, r["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, r["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        f = os.open(path, flags, 0o600)
        os.dup2(f, fd)
        os.close(f)
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )
    try:
        if r["kind"] == "aws":
            sys.argv = ["aws", *r["args"]]
            return awscli.clidriver.main()
        sys.argv = ["-c", *r["args"]]
        sys.path[0] = ""
        exec(compile(r["script"], "<string>", "exec"), {"__name__": "__main__", "__builtins__": builtins})
        return 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        print(e.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1


for line in sys.stdin.buffer:
    r = json.loads(line)
    if os.fork():
        continue
    code = 1
    try:
        os.write(answers, (json.dumps({"id": r["id"], "pid": os.getpid()}) + "\n").encode())
        code = run(r)
    except BaseException:
        traceback.print_exc()
    finally:
        for s in (sys.stdout, sys.stderr):
            try:
                s.flush()
            except BaseException:
                pass
        os.write(answers, (json.dumps({"id": r["id"], "code": code}) + "\n").encode())
        os._exit(0)
