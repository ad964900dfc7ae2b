"""Load benchmark for `lawtrace serve`: a bounded number of requests from concurrent clients, on loopback only.

    python benchmarks/web_load.py [--requests 2000] [--concurrency 16] [--endpoint evaluate] [--max-seconds 300]

Starts `lawtrace serve` on a free loopback port (or uses --url, which must be a
loopback address), warms it up, sends the requests from `--concurrency` clients
at once, checks every answer (status 200 and the shape of the JSON or page),
and prints the throughput and the latency percentiles. It stops by itself: after
the requests, or when --max-seconds have passed. Exit status 1 if any request
failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
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


def start_server(timeout: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "lawtrace", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--log-level", "warning"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="evaluate")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="stop sending after this long")
    parser.add_argument("--url", help="an already running server (loopback only); default: start one")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address: this benchmark loads only the local machine")
    load_before = os.getloadavg()[0]  # the machine may be shared: a busy one explains low figures
    process, base = (None, args.url.rstrip("/")) if args.url else start_server(60)
    try:
        figures = asyncio.run(run(base, ENDPOINTS[args.endpoint], args.requests, args.concurrency, args.max_seconds))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    endpoint = ENDPOINTS[args.endpoint]
    figures = {"endpoint": f"{endpoint.method} {endpoint.path}", "concurrency": args.concurrency, **figures,
               "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                           "load_average_before": round(load_before, 2)}}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        lat = figures["latency_ms"]
        print(f"{figures['endpoint']}: {figures['requests']} requests, {args.concurrency} concurrent clients, "
              f"{figures['errors']} errors, {figures['seconds']} s")
        print(f"throughput {figures['throughput_rps']} req/s; latency p50 {lat['p50']} ms, p90 {lat['p90']} ms, "  # type: ignore[index]
              f"p99 {lat['p99']} ms, max {lat['max']} ms")  # type: ignore[index]
        print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
              f"load average {load_before:.2f} before the run (the server and the clients share these CPUs)")
        if figures["errors"]:
            print("first errors:", *figures["first_errors"], sep="\n  ")  # type: ignore[misc]
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
