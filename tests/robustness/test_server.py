"""The server findings of the robustness probe (S1-S4), as `inputs/server_repros.py` sends them, against a real
`lawtrace serve`: no 500, the JSON error form, and no stall (other requests answered within 1 s meanwhile)."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import httpx
import pytest

from lawtrace.web.errors import ApiError
from lawtrace.web.limits import BodyLimit, BodyTimeout, in_worker
from web_support import running_server

G = {"regime": "national", "date": "2020-06-15", "facts": {"work_injury_recognized": True, "employer_insured": True,
                                                          "disability_grade": 7, "monthly_wage": 6000,
                                                          "regional_avg_monthly_wage": 8000}}
Y = {"content-type": "application/yaml"}
J = {"content-type": "application/json"}
G7Y = ("regime: national\ndate: 2020-06-15\nfacts:\n  work_injury_recognized: true\n  employer_insured: true\n"
       "  disability_grade: 7\n  monthly_wage: 6000\n  regional_avg_monthly_wage: 8000\n")
S1 = [
    ("S1a", "POST", "/v1/evaluate", dict(content=json.dumps(G).replace("6000", "1e30"), headers=J), 422),
    ("S1b", "POST", "/v1/evaluate", dict(content=json.dumps(G).replace("6000", "1e400"), headers=J), 422),
    ("S1c", "POST", "/v1/evaluate", dict(content=json.dumps(G).replace("6000", "9" * 4301), headers=J), 400),
    ("S1d", "POST", "/v1/evaluate", dict(content=G7Y.replace("2020-06-15", "2023-02-30"), headers=Y), 400),
    ("S1e", "POST", "/v1/evaluate", dict(json={**G, "date": "9999-12-31"}), 422),
    ("S1f", "POST", "/v1/evaluate?date=9999-12-31", dict(json=G), 422),
    ("S1g", "POST", "/v1/evaluate", dict(content=b'{"facts": {}, "notes": ' + b"[" * 5000 + b"]" * 5000 + b"}", headers=J), 400),
    ("S1h", "POST", "/v1/evaluate", dict(content=b"facts: {}\nnotes: " + b"[" * 5000 + b"]" * 5000 + b"\n", headers=Y), 400),
    ("S1i", "POST", "/v1/evaluate", dict(content=b'{"date": "2020-06-15", "name": "\\ud800", "facts": {}}', headers=J), 400),
    ("S1j", "POST", "/v1/evaluate", dict(content=G7Y + "notes: !!binary aGVsbG8=\n", headers=Y), 400),
    ("S1k", "POST", "/v1/next-questions", dict(json={**G, "date": "9999-12-31"}), 422),
    ("S1l", "POST", "/v1/diff", dict(json={"a": "national", "b": "jiangsu",
                                          "cases": [{"date": "9999-12-31", "facts": {"disability_grade": 7}}]}), 422),
    ("S1m", "GET", "/?f.dependents.%C2%B2.relation=spouse&date=2020-06-15", {}, 200),
    ("S1n", "GET", "/?f.dependents." + "9" * 4301 + ".relation=spouse&date=2020-06-15", {}, 200),
    ("S1o", "GET", "/?f.monthly_wage=1e30&f.disability_grade=7&f.regional_avg_monthly_wage=8000&date=2020-06-15"
                   "&f.work_injury_recognized=true&f.employer_insured=true", {}, 200),
    ("S1p", "GET", "/?date=9999-12-31&f.disability_grade=7", {}, 200),
    ("S1q", "GET", "/?date=2020-06-15&f.recognition_accepted_date=9999-12-31", {}, 200),
]
BOMB = ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi"))
        + "date: 2020-06-15\nfacts: {}\n")


@pytest.fixture(scope="module")
def base() -> str:
    with running_server() as url:
        yield url


@pytest.mark.parametrize("label, method, url, kw, status", S1, ids=[s[0] for s in S1])
def test_no_request_gets_a_500(base: str, label: str, method: str, url: str, kw: dict, status: int) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        r = c.request(method, url, **kw)
        assert r.status_code == status, r.text[:300]
        if url.startswith("/v1"):
            body = r.json()
            assert body["status"] == status and body["errors"] and all(e["message"] for e in body["errors"])
        else:  # the page shows the engine's refusal next to the form, never a blank 500
            assert "<form" in r.text
        assert c.get("/v1/regimes").status_code == 200  # the keep-alive connection is still open (S1z)
    if label == "S1f":
        assert body["errors"][0]["field"] == "date" and body["errors"][0]["in"] == "query"


def _meanwhile(base: str, send) -> tuple[object, list[float]]:  # type: ignore[no-untyped-def]
    """`send()` in a thread; while it runs, GET /v1/regimes every 0.2 s: the answer, and each GET's time."""
    out: dict[str, object] = {}
    t = threading.Thread(target=lambda: out.setdefault("r", send()))
    t.start()
    times = []
    with httpx.Client(base_url=base, timeout=30) as c:
        while t.is_alive() or not times:
            started = time.perf_counter()
            assert c.get("/v1/regimes").status_code == 200
            times.append(time.perf_counter() - started)
            time.sleep(0.2)
    t.join()
    return out["r"], times


def test_the_alias_bomb_is_refused_at_once_and_stalls_nothing(base: str) -> None:
    """S2 / F8: 9 levels of aliases (a few hundred bytes, gigabytes expanded) are refused before anything is built."""
    started = time.perf_counter()
    r, times = _meanwhile(base, lambda: httpx.post(base + "/v1/evaluate", content=BOMB, headers=Y, timeout=60))
    assert r.status_code == 400 and "alias" in r.json()["errors"][0]["message"]  # type: ignore[attr-defined]
    assert time.perf_counter() - started < 5
    assert max(times) < 1.0


@pytest.mark.parametrize("count, status", [(9500, 400), (999, 422)])
def test_a_flood_of_unknown_facts_is_answered_quickly_and_stalls_nothing(base: str, count: int, status: int) -> None:
    """S3 / F9: 9,500 unknown facts (254 KB) passed the limit of a mapping; 999 are checked, 50 errors reported."""
    body = json.dumps({"date": "2020-06-15", "facts": {f"unknown_fact_{i:05d}": 0 for i in range(count)}})
    started = time.perf_counter()
    r, times = _meanwhile(base, lambda: httpx.post(base + "/v1/evaluate", content=body, headers=J, timeout=60))
    assert r.status_code == status, r.text[:300]  # type: ignore[attr-defined]
    assert time.perf_counter() - started < 10
    assert max(times) < 1.0
    if status == 422:
        errors = r.json()["errors"]  # type: ignore[attr-defined]
        assert len(errors) == 51 and "only the first 50 errors are reported" in errors[-1]["message"]


def test_a_request_over_its_time_budget_gets_503() -> None:
    with pytest.raises(ApiError) as caught:
        asyncio.run(in_worker(time.sleep, 2, seconds=0.2))
    assert caught.value.status == 503 and "longer than the limit of 0.2 seconds" in caught.value.errors[0].message


def test_a_body_that_does_not_arrive_in_time_is_refused() -> None:
    """S4: a client that sends a body slowly holds the connection no longer than the limit."""
    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        while (await receive()).get("more_body"):
            pass

    async def slow():  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.05)
        return {"type": "http.request", "body": b"x", "more_body": True}

    async def scenario() -> None:
        await BodyLimit(app, body_seconds=0.5)({"type": "http", "headers": []}, slow, None)  # type: ignore[arg-type]

    started = time.perf_counter()
    with pytest.raises(BodyTimeout):
        asyncio.run(scenario())
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("raw", [
    b"GET /?q=" + b"x" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
], ids=["long-query", "two-lengths", "length-and-chunked"])
def test_a_request_the_http_layer_cannot_parse_gets_the_json_error_form(base: str, raw: bytes) -> None:
    """S5: refused before the app, but in the same JSON form as every other error."""
    import socket
    from urllib.parse import urlparse

    url = urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"content-type: application/json" in head.lower()
    error = json.loads(body)
    assert error["status"] == 400 and error["errors"][0]["in"] == "request" and error["errors"][0]["message"]
