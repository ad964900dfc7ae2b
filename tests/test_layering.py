"""Layering: fills, overrides with and without authority, reforms, added parts, `overridden`, `undetermined`.

Each test composes small instruments (a law, a province, a city, a reform) written
here, so the semantics are pinned independently of the shipped statutes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dsl.errors import LawtraceError
from dsl.parser import parse_text
from dsl.source import SourceFile
from engine.build.catalog import index
from engine.build.compile import compile_regime
from engine.law_time.dates import add_years, years_between
from engine.run.evaluate import Evaluator
from engine.run.result import evaluate, result_json

LAW = '''instrument LAW "法" en "a law" level law version 2010 in_force 2011-01-01
article 1 "第一条"
  fact grade: int 1..10 "等级"
  fact insured: bool "参保"
  fact pays: bool "单位支付"
  fact local_amount: money "地方标准" cite 1 delegated to province
  value months: int "月数" = 9
  benefit subsidy "补助金" en "subsidy" once
    payable when grade in 1..10
    amount = local_amount
    payer = fund
  benefit allowance "津贴" en "allowance" once
    payable when grade in 1..10
    amount = local_amount
    payer = if insured then fund else employer
    advance_payer = if not insured and not pays then fund else none
    recover_from = if not insured and not pays then employer else none
'''

PROVINCE = '''instrument PROV "省办法" en "provincial measures" level province under LAW version 2015 in_force 2015-06-01
article 7 gist "benchmarks"
  parameter benchmark: money "基准" cite 7(1) from 2015-06-01 50000
  fills local_amount cite 7(1) = benchmark * months / 9
article 8 gist "no subsidy at grade 10"
  overrides subsidy.payable by LAW 1 because "grade 10 gets nothing here" cite 8 = overridden and grade != 10
'''

CITY = '''instrument CITY "市办法" en "municipal measures" level city under LAW version 2014 in_force 2014-02-01
article 24 gist "while in arrears the fund pays nothing"
  overrides allowance.advance_payer because "the employer bears everything; the fund stops paying" cite 24
    = if not insured then none else overridden
article 25 gist "the employer advances for insured workers"
  overrides allowance.recover_from because "employer advances, then recovers" cite 25
    = if insured then fund else overridden
article 26 gist "nine months become ten"
  overrides months because "ten months" cite 26 = 10
'''

REFORM = '''instrument REF "改革" en "reform" level reform version 2024 in_force 2024-01-01
article 1 gist "the fund advances for every uninsured worker and does not recover"
  overrides allowance.recover_from amends LAW 1 because "a penalty replaces recovery" = none
'''


def build(*texts: str, regime: str | None = None, extra_regimes: str = ""):
    modules, sources = [], {}
    for i, text in enumerate(texts):
        name = f"layer{i}.lt"
        sources[name] = SourceFile(name, text)
        modules.append(parse_text(sources[name]))
    codes = [m.instrument.code for m in modules]
    regimes = f'regime r "r" = {" + ".join(codes)}\n' + extra_regimes
    sources["regimes.lt"] = SourceFile("regimes.lt", regimes)
    modules.append(parse_text(sources["regimes.lt"]))
    return compile_regime(index(modules, sources), regime or "r")


def run(program, facts: dict) -> dict:
    return result_json(evaluate(Evaluator(program), facts, date(2020, 1, 1)), include_trace=False)


def item(result: dict, item_id: str) -> dict:
    return next(i for i in result["items"] if i["id"] == item_id)


def error_of(*texts: str) -> str:
    with pytest.raises(LawtraceError) as caught:
        build(*texts)
    return caught.value.render()


# ---------------------------------------------------------------- fills


def test_a_province_fills_what_the_law_delegates_and_is_cited_for_it():
    p = build(LAW, PROVINCE)
    r = run(p, {"grade": 7, "insured": True})
    subsidy = item(r, "subsidy")
    assert subsidy["amount"] == "50000.00"  # 50000 × 9 / 9
    assert {"instrument": "PROV", "version": "2015", "article": 7, "paragraph": 1} in subsidy["basis"]
    fill = next(c for c in p.changes if c.kind == "fill")
    assert (fill.target, fill.instrument, fill.replaced_instrument) == ("local_amount", "PROV", "LAW")
    assert fill.authority == "delegated to province by LAW"
    assert p.nodes["local_amount"].instrument == "PROV"


def test_without_the_province_the_delegated_amount_stays_a_fact_and_is_unknown():
    r = run(build(LAW), {"grade": 7, "insured": True})
    assert item(r, "subsidy")["payable"] is True
    assert item(r, "subsidy")["amount"] is None
    assert "local_amount" in item(r, "subsidy")["missing"]


def test_a_fill_of_what_is_not_delegated_is_a_located_error():
    text = PROVINCE.replace("fills local_amount", "fills insured")
    message = error_of(LAW, text)
    assert "layer1.lt:4:3: error: 'insured' is not delegated by LAW" in message
    assert "overrides insured" in message


def test_a_city_cannot_fill_what_is_delegated_to_the_province():
    text = CITY.split("article 24")[0] + 'article 1 gist "x"\n  fills local_amount = 1\n'
    message = error_of(LAW, text)
    assert "'local_amount' is delegated to province, but CITY is a city instrument" in message


def test_two_fills_of_one_value_are_two_claims_without_ordering():
    second = PROVINCE.replace("PROV", "PROV2").split("article 8")[0]
    message = error_of(LAW, PROVINCE, second)
    assert "'local_amount' is already filled by PROV (art. 7)" in message


# ---------------------------------------------------------------- overrides with authority


def test_an_override_by_a_delegating_provision_applies_and_reads_the_rule_it_replaces():
    p = build(LAW, PROVINCE)
    assert item(run(p, {"grade": 10}), "subsidy")["payable"] is False
    assert item(run(p, {"grade": 9}), "subsidy")["payable"] is True
    assert item(run(build(LAW), {"grade": 10}), "subsidy")["payable"] is True  # the law alone pays grade 10
    change = next(c for c in p.changes if c.target == "subsidy.payable")
    assert change.applied and change.authority == "by LAW 1 (delegating to province)"
    assert change.kept_as == "subsidy.payable~LAW"  # `overridden` reads the law's rule, kept under this id
    basis = item(run(p, {"grade": 10}), "subsidy")["basis"]
    assert {"instrument": "PROV", "version": "2015", "article": 8} in basis


def test_by_naming_a_provision_that_delegates_nothing_is_an_error():
    text = PROVINCE.replace("by LAW 1 ", "by LAW 2 ")
    assert "LAW 2 delegates nothing to province in this regime" in error_of(LAW, text)


def test_a_reform_must_say_what_it_amends():
    text = REFORM.replace("amends LAW 1 ", "")
    assert "a reform's override names the provision it proposes to amend" in error_of(LAW, text)


def test_a_reform_overrides_the_law_it_amends():
    p = build(LAW, REFORM)
    r = item(run(p, {"grade": 7, "insured": False, "pays": False}), "allowance")
    assert r["advance_payer"] == "fund"
    assert r["recover_from"] is None  # no recovery: the reform's penalty replaces it
    change = next(c for c in p.changes if c.target == "allowance.recover_from")
    assert change.authority == "reform amending LAW 1" and change.reason == "a penalty replaces recovery"
    assert [c.en() for c in change.amends] == ["LAW art. 1"]


def test_two_reforms_claiming_one_value_are_an_error():
    other = REFORM.replace("REF", "REF2")
    assert "claimed by REF and by REF2, both reform instruments" in error_of(LAW, REFORM, other)


def test_an_instrument_that_changes_rules_must_declare_its_level():
    text = PROVINCE.replace(" level province", "")
    assert "PROV changes rules of other instruments, so it must declare its level" in error_of(LAW, text)


def test_overridden_outside_an_override_is_an_error():
    text = LAW.replace('value months: int "月数" = 9', 'value months: int "月数" = overridden')
    assert "`overridden` reads the rule an override replaces" in error_of(text)


def test_an_override_of_an_unknown_target_suggests_the_closest_name():
    text = PROVINCE.replace("overrides subsidy.payable", "overrides subsidy.payabel")
    assert "an item's fields are payable, amount, payer, advance_payer, recover_from" in error_of(LAW, text)
    text = PROVINCE.replace("overrides subsidy.payable", "overrides subsidi.payable")
    message = error_of(LAW, text)
    assert "'subsidi.payable' is not defined by any instrument above PROV" in message
    assert "did you mean 'subsidy.payable'" in message


# ---------------------------------------------------------------- without authority: the higher rule prevails


def test_a_city_contradicting_the_law_is_refused_and_warned_at_check():
    p = build(LAW, CITY)
    refused = [c for c in p.changes if not c.applied]
    assert {c.target for c in refused} == {"allowance.advance_payer", "allowance.recover_from", "months"}
    warning = p.conflicts["allowance.advance_payer"][0].warning
    assert warning.severity == "warning"
    assert "CITY art. 24 (city) contradicts LAW art. 1 on allowance.advance_payer without authority" in warning.message
    assert [c.en() for c in warning.citations] == ["CITY art. 24", "LAW art. 1"]
    assert warning.span.line == 3


def test_the_higher_rule_prevails_and_the_result_says_so_where_the_lower_differs():
    p = build(LAW, PROVINCE, CITY)
    r = run(p, {"grade": 7, "insured": False, "pays": False})
    assert item(r, "allowance")["advance_payer"] == "fund"  # the law's advance stands
    messages = [d["message"] for d in r["diagnostics"]]
    assert any("CITY art. 24 would give allowance.advance_payer = none; LAW art. 1 gives fund" in m for m in messages)
    assert any("CITY art. 26 would give months = 10; LAW art. 1 gives 9" in m for m in messages)
    cited = [c["article"] for d in r["diagnostics"] for c in d["citations"]]
    assert 24 in cited and 1 in cited


def test_no_warning_where_the_lower_rule_agrees():
    p = build(LAW, CITY)
    r = run(p, {"grade": 7, "insured": False, "pays": True})  # nobody advances under either rule
    assert not [d for d in r["diagnostics"] if "allowance.advance_payer" in d["message"]]


def test_where_the_law_names_no_party_the_city_rule_fills_the_gap():
    p = build(LAW, CITY)
    r = item(run(p, {"grade": 7, "insured": True}), "allowance")
    assert r["recover_from"] == "fund"  # the law names nobody for an insured worker; CITY 25 does
    assert {"instrument": "CITY", "version": "2014", "article": 25} in r["basis"]
    r = item(run(p, {"grade": 7, "insured": False, "pays": False}), "allowance")
    assert r["recover_from"] == "employer"
    assert {"instrument": "CITY", "version": "2014", "article": 25} not in r["basis"]


def test_a_city_overriding_a_fact_without_authority_is_an_error():
    text = CITY.split("article 24")[0] + 'article 1 gist "x"\n  overrides insured because "no" = true\n'
    assert "CITY overrides the fact 'insured' of LAW without authority" in error_of(LAW, text)


def test_a_lower_instrument_placed_before_its_superior_is_an_error():
    modules, sources = [], {}
    for name, text in (("a.lt", LAW), ("b.lt", PROVINCE)):
        sources[name] = SourceFile(name, text)
        modules.append(parse_text(sources[name]))
    sources["r.lt"] = SourceFile("r.lt", 'regime r "r" = PROV + LAW\n')
    modules.append(parse_text(sources["r.lt"]))
    with pytest.raises(LawtraceError) as caught:
        compile_regime(index(modules, sources), "r")
    assert "PROV is under LAW, so LAW must come before it in the regime" in caught.value.render()


# ---------------------------------------------------------------- parts


def test_a_reform_splits_an_item_and_the_parts_sum_to_it():
    reform = '''instrument REF "改革" en "reform" level reform version 2010 in_force 2011-01-01
article 2 gist "civil compensation first"
  fact civil: money "已获民事赔偿"
  adds part civil_compensation to subsidy = min(civil, subsidy.amount) paid_by third_party
  adds part top_up to subsidy = subsidy.amount - min(civil, subsidy.amount) paid_by fund
'''
    p = build(LAW, PROVINCE, reform)
    r = item(run(p, {"grade": 7, "civil": Decimal("12000.50")}), "subsidy")
    parts = {x["name"]: x for x in r["parts"]}
    assert parts["civil_compensation"]["amount"] == "12000.50"
    assert parts["top_up"]["amount"] == "37999.50"  # 50000 − 12000.50
    assert parts["top_up"]["payer"] == "fund"
    assert {"instrument": "REF", "version": "2010", "article": 2} in parts["top_up"]["basis"]
    change = next(c for c in p.changes if c.kind == "part" and c.target == "subsidy.part.top_up")
    assert change.instrument == "REF"


def test_Q5_a_city_split_of_a_higher_item_needs_authority_the_higher_law_prevails_with_a_warning():
    city = CITY.split("article 24")[0] + '''article 23 gist "civil compensation first"
  fact civil: money "已获民事赔偿"
  adds part civil_compensation to subsidy = min(civil, subsidy.amount) paid_by third_party
  adds part top_up to subsidy = subsidy.amount - min(civil, subsidy.amount) paid_by fund
'''
    p = build(LAW, PROVINCE, city)
    r = run(p, {"grade": 7, "civil": Decimal("12000.50"), "insured": True})
    subsidy = item(r, "subsidy")
    assert subsidy["parts"] == [] and subsidy["amount"] == "50000.00"  # the law's item, unsplit
    [warning] = [d for d in r["diagnostics"] if "civil_compensation" in d["message"]]
    assert "would have 12000.50 of subsidy paid by another party" in warning["message"]
    assert {c["instrument"] for c in warning["citations"]} >= {"CITY", "LAW"}
    change = next(c for c in p.changes if c.target == "subsidy.part.civil_compensation")
    assert change.authority is None
    # nothing moves to another payer (no civil compensation): no warning
    assert not [d for d in run(p, {"grade": 7, "civil": 0, "insured": True})["diagnostics"] if "subsidy" in d["message"]]


# ---------------------------------------------------------------- undetermined and dates


def test_undetermined_is_unknown_with_the_reason_as_a_diagnostic_only_where_it_is_the_answer():
    text = LAW + '''article 2 "第二条"
  fact end: date "终止日期"
  value standard: money "标准"
    = if end >= 2015-06-01 then undetermined("the measures are silent on this transition") else 100
'''
    p = build(text)
    ev = evaluate(Evaluator(p), {"end": date(2016, 1, 1)}, date(2014, 1, 1))
    assert ev.evaluation.get("standard").known is False
    assert [d.message for d in ev.evaluation.diagnostics] == ["the measures are silent on this transition"]
    ev = evaluate(Evaluator(p), {}, date(2014, 1, 1))  # `end` unknown: both branches tried, neither is the answer
    v = ev.evaluation.get("standard")
    assert not v.known and v.missing == frozenset({"end"})
    assert ev.evaluation.diagnostics == []
    ev = evaluate(Evaluator(p), {"end": date(2015, 5, 31)}, date(2014, 1, 1))
    assert ev.evaluation.get("standard").value == 100


def test_years_are_counted_like_an_age_and_29_february_ends_on_28_february():
    assert add_years(date(1964, 2, 29), 60) == date(2024, 2, 29)
    assert add_years(date(1965, 2, 28), 60) == date(2025, 2, 28)
    assert add_years(date(1964, 2, 29), 61) == date(2025, 2, 28)
    assert years_between(date(2020, 6, 15), date(2024, 6, 14)) == 3
    assert years_between(date(2020, 6, 15), date(2024, 6, 15)) == 4
    assert years_between(date(2024, 6, 15), date(2020, 6, 15)) == -4


def test_an_instrument_under_one_the_regime_lacks_is_an_error():
    text = PROVINCE.replace("under LAW", "under LAWS")
    message = error_of(LAW, text)
    assert "PROV is under LAWS, which this regime does not include" in message
    assert "did you mean 'LAW'" in message
