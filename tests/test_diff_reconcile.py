"""`diff --cases` reconciles (issue 15): cases validated as eval validates them, "amount → undetermined" counted
apart from losses, the undetermined payer a word, never None."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from lawtrace.cli import main

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def cases_file(tmp_path: Path, *cases: dict) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(list(cases), allow_unicode=True), encoding="utf-8")
    return path


def case(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))


def test_a_fact_the_regime_does_not_declare_is_refused_as_eval_refuses_it(tmp_path: Path) -> None:
    path = cases_file(tmp_path, case("uninsured-employer.yaml"))
    code, _, eval_err = cli("eval", str(ROOT / "examples/uninsured-employer.yaml"), "--regime", "jiangsu")
    assert code == 1 and "unknown fact 'provincial_medical_subsidy' in regime jiangsu" in eval_err
    code, out, err = cli("diff", "national", "jiangsu", "--cases", str(path))
    assert code == 1 and "unknown fact 'provincial_medical_subsidy' in regime jiangsu" in err
    assert "Traceback" not in out + err


OVERLAY_WITHOUT_2003_TABLE = """instrument G7ONLY "七级15个月（仅2011年后）" en "grade 7 at 15 months, from 2011 only"
  level reform
  version 2024 in_force 2024-01-01

regime g7only "全国（七级15个月，仅2011年后）" en "national, grade 7 at 15 months from 2011" = national + G7ONLY

article 1 gist \"\"\"The one-time disability subsidy of grade 7 is 15 months of the wage.\"\"\"

  overrides disability_subsidy_months amends WIIR 37(1)(1)
    because "grade 7 is paid too little"
    from 2011-01-01 {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 15, 8: 11, 9: 9, 10: 7}
"""


def test_amount_to_undetermined_is_counted_apart_from_losses(tmp_path: Path) -> None:
    """The trial's slip: an overlay restating the months table from 2011 only leaves a 2009 accident with no table in
    force: the amount becomes undetermined, which is not a loss; the 2020 accident gains."""
    overlay = tmp_path / "g7only.lt"
    overlay.write_text(OVERLAY_WITHOUT_2003_TABLE, encoding="utf-8")
    old = dict(case("grade7.yaml"), id="2009", date="2009-06-15")
    path = cases_file(tmp_path, old, case("grade7.yaml"))
    code, out, err = cli("diff", "national", "g7only", "--rules", str(overlay), "--cases", str(path), "--format", "json")
    assert code == 0, err
    summary = json.loads(out)["summary"]
    assert summary["to_undetermined"] == 1 and summary["lose"] == 0 and summary["gain"] == 1
    code, text, _ = cli("diff", "national", "g7only", "--rules", str(overlay), "--cases", str(path), "--lang", "en")
    assert "amount became undetermined 1" in text and "lose 0" in text


def test_the_undetermined_payer_is_a_word_never_none(tmp_path: Path) -> None:
    """A third party's injury with the third-party facts open: the medical costs' payer is undetermined."""
    third = case("third-party-unknown.yaml")
    third.pop("regime", None)
    path = cases_file(tmp_path, third, case("grade7.yaml"))
    code, out, err = cli("diff", "national", "national@2012-06-01", "--cases", str(path), "--format", "json")
    assert code == 0, err
    totals = json.loads(out)["summary"]["totals"]
    assert "None" not in json.dumps(totals) and "null" not in json.dumps(totals)
    for lang, word in (("zh", "尚不能确定"), ("en", "undetermined")):
        for fmt in ("text", "md", "html"):
            code, text, _ = cli("diff", "national", "jiangsu", "--cases", str(path), "--format", fmt, "--lang", lang)
            assert code == 0 and "None" not in text and text.endswith("\n"), (lang, fmt)
    code, out, _ = cli("diff", "national", "jiangsu", "--cases", str(path), "--format", "json")
    payers = {p for side in json.loads(out)["summary"]["totals"].values() for per in side.values() for p in per}
    assert "None" not in payers
