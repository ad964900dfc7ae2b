"""Decision receipts: every result carries one, and `lawtrace verify` confirms an untouched result or names the cause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from lawtrace import receipt
from lawtrace.cli import main

ROOT = Path(__file__).resolve().parents[2]
GRADE7 = ROOT / "examples" / "grade7.yaml"
OVERLAY = ROOT / "examples" / "overlays" / "fund_advances_employment_subsidy.lt"
RESIGNED = ROOT / "examples" / "overlays" / "uninsured_grade7_resigned.yaml"


def cli(*args: object, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def saved(tmp_path: Path, *args: object) -> tuple[Path, dict]:
    out = cli("eval", *args, "--format", "json")
    assert out.exit_code == 0, out.output
    path = tmp_path / "result.json"
    path.write_text(out.output, encoding="utf-8")
    return path, json.loads(out.output)


def verify(path: Path):  # type: ignore[no-untyped-def]
    return cli("verify", path)


def test_the_receipt_names_what_the_result_was_computed_from(tmp_path: Path) -> None:
    _, data = saved(tmp_path, GRADE7)
    r = data["receipt"]
    assert r["schema"] == "lawtrace.receipt/1" and r["regime"] == "national" and r["overlays"] == []
    assert r["engine"]["version"] and len(r["engine"]["sha256"]) == 64
    files = [s["file"] for s in r["statutes"]]
    assert files[0] == "statutes/regimes.lt" and "statutes/national/wiir.lt" in files
    assert r["input"] == {"regime": "national", "date": "2020-06-15", "as_of": None, "kind": "worker",
                          "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7,
                                    "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}}
    assert r["input_sha256"] == receipt.sha256(receipt.canonical(r["input"]))
    assert r["result_sha256"] == receipt.sha256(receipt.canonical(receipt.without_receipt(data)))


def test_an_untouched_result_is_confirmed(tmp_path: Path) -> None:
    path, _ = saved(tmp_path, GRADE7)
    out = verify(path)
    assert out.exit_code == 0 and "confirmed: the result stands" in out.output


def test_an_edited_result_is_named(tmp_path: Path) -> None:
    path, data = saved(tmp_path, GRADE7)
    item = next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")
    item["amount"] = "87000.00"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = verify(path)
    assert out.exit_code == 1
    assert "result edited" in out.output and "fact edited" not in out.output and "statute changed" not in out.output
    assert "one_time_disability_subsidy.amount: saved '87000.00', now '78000.00'" in out.output


def test_an_edited_fact_is_named(tmp_path: Path) -> None:
    path, data = saved(tmp_path, GRADE7)
    data["receipt"]["input"]["facts"]["monthly_wage"] = 9000
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = verify(path)
    assert out.exit_code == 1 and "fact edited" in out.output and "result edited" not in out.output
    assert "one_time_disability_subsidy.amount: saved '78000.00', now '117000.00'" in out.output


def test_a_changed_statute_file_is_named(tmp_path: Path) -> None:
    overlay = tmp_path / "mine.lt"
    overlay.write_text(OVERLAY.read_text(encoding="utf-8"), encoding="utf-8")
    path, data = saved(tmp_path, RESIGNED, "--rules", overlay)
    assert data["receipt"]["overlays"][0]["file"] == str(overlay)
    assert verify(path).exit_code == 0
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("then employer else overridden",
                                                                   "then state else overridden"), encoding="utf-8")
    out = verify(path)
    assert out.exit_code == 1 and f"statute changed: the overlay {overlay} differs from the one used" in out.output
    assert "one_time_employment_subsidy.recover_from: saved 'employer', now 'state'" in out.output


def test_a_changed_shipped_statute_is_named_by_its_file(tmp_path: Path) -> None:
    path, data = saved(tmp_path, GRADE7)
    entry = next(s for s in data["receipt"]["statutes"] if s["file"] == "statutes/national/wiir.lt")
    entry["sha256"] = "0" * 64  # the receipt of a result computed with another text of WIIR
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = verify(path)
    assert out.exit_code == 1
    assert "statute changed: statutes/national/wiir.lt differs from the text the result was computed with" in out.output


def test_a_changed_engine_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = saved(tmp_path, GRADE7)
    monkeypatch.setattr(receipt, "engine_hash", lambda: "f" * 64)  # the code that verifies is not the code that computed
    out = verify(path)
    assert out.exit_code == 1 and "engine changed" in out.output


def test_a_result_without_a_receipt_is_refused(tmp_path: Path) -> None:
    path, data = saved(tmp_path, GRADE7)
    del data["receipt"]
    path.write_text(json.dumps(data), encoding="utf-8")
    out = verify(path)
    assert out.exit_code == 1 and "has no receipt" in out.stderr and "Traceback" not in out.stderr


def test_the_api_result_carries_a_receipt_that_verifies(tmp_path: Path) -> None:
    from lawtrace.web import create_app

    with TestClient(create_app()) as client:
        for trace in ("true", "false"):
            r = client.post("/v1/evaluate", params={"trace": trace}, content=GRADE7.read_text(encoding="utf-8"),
                            headers={"content-type": "application/yaml"})
            assert r.status_code == 200
            path = tmp_path / f"api_{trace}.json"
            path.write_text(r.text, encoding="utf-8")
            out = verify(path)
            assert out.exit_code == 0, out.output


def test_the_html_report_prints_the_receipt(tmp_path: Path) -> None:
    _, data = saved(tmp_path, GRADE7)
    html = cli("eval", GRADE7, "--format", "html", "--lang", "en").output
    assert "Receipt" in html and data["receipt"]["result_sha256"] in html
    assert "lawtrace verify RESULT.json" in html
