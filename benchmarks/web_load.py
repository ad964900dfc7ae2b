"""Load benchmark for `lawtrace serve`: a bounded number of requests from concurrent clients, on loopback only.

    python benchmarks/web_load.py [--requests 2000] [--concurrency 16] [--endpoint evaluate] [--max-seconds 300]
                                  [--baseline REV]

Starts `lawtrace serve` on a free loopback port (or uses --url, which must be a
loopback address), warms it up, sends the requests from `--concurrency` clients
at once, checks every answer (status 200 and the shape of the JSON or page),
and prints the throughput and the latency percentiles. It stops by itself: after
the requests, or when --max-seconds have passed. Exit status 1 if any request
failed.

`--baseline REV` loads, in the same run, the server of the code at git revision
REV too (extracted with `git archive`, run from PYTHONPATH), taking turns with
this code's (`--turns`, each turn its own server), and prints the ratio of the
medians of p50 and of throughput: e.g. `--baseline 2e5a709`, main as issue 18
found it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import orjson

ROOT = Path(__file__).resolve().parent.parent
CASE = {"id": "bench", "regime": "national", "date": "2020-06-15",
        "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7, "monthly_wage": 6000,
                  "regional_avg_monthly_wage": 8000}}
PAGE_QUERY = {"regime": "national", "date": "2020-06-15", "f.work_injury_recognized": "true", "f.employer_insured": "true",
              "f.disability_grade": "7",
              "f.monthly_wage": "6000", "f.regional_avg_monthly_wage": "8000"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def ok(self, response: httpx.Response) -> bool:
        if response.status_code != 200:
            return False
        if self.path == "/":
            return "row-one_time_disability_subsidy" in response.text
        data = orjson.loads(response.content)
        return bool(data.get("items") or data.get("questions") or data.get("id") or isinstance(data, list))


BODY = json.dumps(CASE).encode()
ENDPOINTS = {
    "evaluate": Endpoint("POST", "/v1/evaluate", {}, BODY),
    "evaluate-notrace": Endpoint("POST", "/v1/evaluate", {"trace": "false"}, BODY),
    "next-questions": Endpoint("POST", "/v1/next-questions", {}, BODY),
    "explain": Endpoint("POST", "/v1/explain", {"item": "one_time_disability_subsidy"}, BODY),
    "regimes": Endpoint("GET", "/v1/regimes"),
    "page": Endpoint("GET", "/", PAGE_QUERY),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(timeout: float, code: Path = ROOT) -> tuple[subprocess.Popen[bytes], str]:
    """`lawtrace serve` of the code in `code` (this checkout, or a baseline extracted beside it)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if code != ROOT:
        env["PYTHONPATH"] = str(code)
    process = subprocess.Popen([sys.executable, "-m", "lawtrace", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--log-level", "warning"], cwd=code, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"lawtrace serve exited with status {process.returncode}")
        try:
            if httpx.get(base + "/v1/regimes", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"lawtrace serve did not answer within {timeout:.0f} s")


async def run(base: str, endpoint: Endpoint, requests: int, concurrency: int, max_seconds: float) -> dict[str, object]:
    latencies: list[float] = []
    failures: list[str] = []
    sent = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for _ in range(min(20, requests)):  # warm-up, not counted
            await client.request(endpoint.method, endpoint.path, params=endpoint.params, content=endpoint.body)
        stop_at = time.monotonic() + max_seconds

        async def worker() -> None:
            nonlocal sent
            while sent < requests and time.monotonic() < stop_at:
                sent += 1
                t0 = time.perf_counter()
                try:
                    response = await client.request(endpoint.method, endpoint.path, params=endpoint.params,
                                                    content=endpoint.body)
                    good = endpoint.ok(response)
                    detail = f"status {response.status_code}"
                except httpx.HTTPError as e:
                    good, detail = False, f"{type(e).__name__}: {e}"
                latencies.append(time.perf_counter() - t0)
                if not good:
                    failures.append(detail)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, round(p / 100 * len(latencies)) - 1)] * 1000 if latencies else 0.0

    return {"requests": len(latencies), "errors": len(failures), "first_errors": failures[:5],
            "seconds": round(elapsed, 2), "throughput_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
            "latency_ms": {"p50": round(pct(50), 1), "p90": round(pct(90), 1), "p99": round(pct(99), 1),
                           "max": round(latencies[-1] * 1000, 1) if latencies else 0.0,
                           "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0},
            "stopped_by_time": len(latencies) < requests}


def load(code: Path, args: argparse.Namespace) -> dict[str, object]:
    """One server of `code` started (or --url), loaded, stopped: its figures."""
    process, base = (None, args.url.rstrip("/")) if args.url else start_server(60, code)
    try:
        return asyncio.run(run(base, ENDPOINTS[args.endpoint], args.requests, args.concurrency, args.max_seconds))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


def baseline_code(rev: str) -> Path:
    """The code at git revision `rev`, extracted into a temporary directory."""
    old = Path(tempfile.mkdtemp(prefix="lawtrace-web-baseline-"))
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    return old


def _line(figures: dict[str, object]) -> str:
    lat = figures["latency_ms"]
    return (f"throughput {figures['throughput_rps']} req/s; latency p50 {lat['p50']} ms, p90 {lat['p90']} ms, "  # type: ignore[index]
            f"p99 {lat['p99']} ms, max {lat['max']} ms; {figures['errors']} errors")  # type: ignore[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="evaluate")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="stop sending after this long")
    parser.add_argument("--url", help="an already running server (loopback only); default: start one")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--baseline", help="a git revision whose server is loaded too, in turns with this code's")
    parser.add_argument("--turns", type=int, default=2, help="with --baseline: how many turns each server takes")
    args = parser.parse_args()
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address: this benchmark loads only the local machine")
    if args.baseline and args.url:
        parser.error("--baseline starts both servers itself: give no --url")
    load_before = os.getloadavg()[0]  # the machine may be shared: a busy one explains low figures
    endpoint = ENDPOINTS[args.endpoint]
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
               "load_average_before": round(load_before, 2)}
    if args.baseline:
        return compare(args, endpoint, machine)
    figures = load(ROOT, args)
    figures = {"endpoint": f"{endpoint.method} {endpoint.path}", "concurrency": args.concurrency, **figures,
               "machine": machine}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{figures['endpoint']}: {figures['requests']} requests, {args.concurrency} concurrent clients, "
              f"{figures['errors']} errors, {figures['seconds']} s")
        print(_line(figures))
        print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
              f"load average {load_before:.2f} before the run (the server and the clients share these CPUs)")
        if figures["errors"]:
            print("first errors:", *figures["first_errors"], sep="\n  ")  # type: ignore[misc]
    return 1 if figures["errors"] else 0


def compare(args: argparse.Namespace, endpoint: Endpoint, machine: dict[str, object]) -> int:
    """The baseline's server and this code's, in turns (baseline first), each turn the same load."""
    old = baseline_code(args.baseline)
    runs: dict[str, list[dict[str, object]]] = {args.baseline: [], "this code": []}
    try:
        for _ in range(args.turns):
            for label, code in ((args.baseline, old), ("this code", ROOT)):
                runs[label].append(load(code, args))
    finally:
        shutil.rmtree(old, ignore_errors=True)

    def median(label: str, key: str) -> float:
        values = [r["latency_ms"][key] if key != "throughput_rps" else r[key] for r in runs[label]]  # type: ignore[index]
        return float(statistics.median(values))

    summary = {label: {"p50_ms": median(label, "p50"), "p90_ms": median(label, "p90"),
                       "throughput_rps": median(label, "throughput_rps")} for label in runs}
    ratio = summary["this code"]["p50_ms"] / summary[args.baseline]["p50_ms"] if summary[args.baseline]["p50_ms"] else 0.0
    errors = sum(int(r["errors"]) for rs in runs.values() for r in rs)  # type: ignore[call-overload]
    figures = {"endpoint": f"{endpoint.method} {endpoint.path}", "concurrency": args.concurrency,
               "requests_per_turn": args.requests, "turns": runs, "median": summary, "p50_ratio": round(ratio, 3),
               "errors": errors, "machine": {**machine, "load_average_after": round(os.getloadavg()[0], 2)}}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 1 if errors else 0
    print(f"{figures['endpoint']}{'?' + '&'.join(f'{k}={v}' for k, v in endpoint.params.items()) if endpoint.params else ''}: "
          f"{args.requests} requests a turn, {args.concurrency} concurrent clients, {args.turns} turns each, in turns")
    for label, rs in runs.items():
        for n, r in enumerate(rs, 1):
            print(f"  {label:<12} turn {n}: {_line(r)}")
    for label, m in summary.items():
        print(f"median {label:<12} p50 {m['p50_ms']:.1f} ms, p90 {m['p90_ms']:.1f} ms, {m['throughput_rps']:.1f} req/s")
    print(f"p50 this code / {args.baseline}: {ratio:.2f}")
    print(f"machine: {machine['cpus']} CPUs, Python {machine['python']}, load average {machine['load_average_before']:.2f} "
          f"before, {figures['machine']['load_average_after']:.2f} after (the servers and the clients share these CPUs)")  # type: ignore[index]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
