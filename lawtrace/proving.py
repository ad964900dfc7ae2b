"""`lawtrace prove` and `check --prove`: run the prover, write counterexamples as case files, confirm each with the
ordinary pipeline (read, validate, evaluate), and render the report as text, Markdown or JSON in zh or en."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from engine.prove.encode import Bounds
from engine.prove.properties import PROPERTIES
from engine.prove.run import Answer, Report, prove

STATUS = {
    "proved": ("已证明", "proved"),
    "refuted": ("被反驳", "refuted"),
    "unknown": ("未定", "unknown"),
    "inconsistent": ("内部不一致", "internal inconsistency"),
}
WORDS = {
    "title": ("证明", "Proofs"), "regime": ("制度", "regime"), "baseline": ("基准", "baseline"),
    "bounds": ("范围", "bounds"), "timeout": ("每项时限", "time-out per proof"), "total": ("共用时", "total time"),
    "dates": ("事故日期", "case dates"), "list_bound": ("列表上限", "list bound"),
    "counterexample": ("反例", "counterexample"), "why": ("原因", "reason"),
    "abstracted": ("抽象处理（未精确翻译）", "abstracted (no exact translation)"),
    "untranslatable": ("无法翻译的构造", "constructs with no translation"),
    "assertion": ("断言", "assertion"), "items": ("项", "items"),
}


def w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


@dataclass
class Confirmed:
    """A counterexample written to `path` and evaluated again from the file by the ordinary pipeline."""

    answer: Answer
    path: Path
    confirmed: bool
    result_json: dict[str, object] | None = None
    baseline_json: dict[str, object] | None = None
    facts: dict[str, object] = field(default_factory=dict)


def run(regime: str, rules: tuple[Path, ...], baseline: str | None, bounds: Bounds, timeout: float,
        properties: tuple[str, ...] | None, assertions: bool, only: tuple[str, ...] = ()) -> Report:
    from lawtrace.api import baseline_rules, evaluator, load_program

    program, ev = load_program(regime, rules), evaluator(regime, rules)
    known = [b.id for b in program.benefits] + [a.name for a in program.assertions]
    for x in only:
        if x not in known:
            from dsl.errors import LawtraceError, did_you_mean

            hint = did_you_mean(x, known)
            raise LawtraceError(f"--item {x}: no item of regime {regime} is called so" + (f"; {hint}" if hint else "")
                                + f"\n  the items are: {', '.join(b.id for b in program.benefits)}")
    kw: dict[str, object] = {}
    if baseline is not None:  # as in simulate: a shipped baseline without the overlays
        base_rules = baseline_rules(baseline, rules)
        kw = {"baseline": load_program(baseline, base_rules), "baseline_evaluator": evaluator(baseline, base_rules),
              "baseline_rules": base_rules}
    base_rules = kw.pop("baseline_rules", ())
    report = prove(program, ev, bounds=bounds, timeout=timeout, properties=properties, assertions=assertions,
                   only=only, **kw)  # type: ignore[arg-type]
    report.baseline_rules = base_rules  # type: ignore[attr-defined]
    return report


def write_counterexamples(report: Report, out: Path, rules: tuple[Path, ...]) -> list[Confirmed]:
    """Each refutation as a case file in `out`, read back and evaluated as `lawtrace eval` would."""
    from engine.run.result import result_json
    from lawtrace.api import evaluate_case

    confirmed: list[Confirmed] = []
    for a in report.answers:
        if a.status != "refuted" or a.witness is None:
            continue
        out.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9_]+", "-", f"{report.regime}-{a.property}-{a.subject}".lower()).strip("-")
        path = out / f"{slug}.yaml"
        zh, en = PROPERTIES[a.property]
        note = f"lawtrace prove: breaks '{en}' ({zh}) for {a.subject}" + (
            f", against {report.baseline}" if report.baseline else "")
        path.write_text(a.witness.case_file(report.regime, note), encoding="utf-8")
        r = evaluate_case(str(path), rules=rules)
        b = evaluate_case(str(path), regime=report.baseline, rules=getattr(report, "baseline_rules", ())) \
            if report.baseline else None
        ok = bool(a.check(r, b))  # type: ignore[operator]
        confirmed.append(Confirmed(a, path, ok, result_json(r, include_trace=True),
                                   result_json(b, include_trace=False) if b is not None else None,
                                   dict(a.witness.facts)))
    return confirmed


def report_json(report: Report, confirmed: list[Confirmed]) -> dict[str, object]:
    by_answer = {id(c.answer): c for c in confirmed}
    groups: dict[str, list[Answer]] = {}
    for a in report.answers:
        groups.setdefault(a.property, []).append(a)
    props = []
    for name, answers in groups.items():
        zh, en = PROPERTIES[name]
        props.append({"property": name, "label": {"zh": zh, "en": en}, "status": _overall(answers, by_answer),
                      "seconds": round(sum(a.seconds for a in answers), 3),
                      "answers": [_answer_json(a, by_answer.get(id(a)), report) for a in answers]})
    return {"regime": report.regime, "baseline": report.baseline, "bounds": report.bounds.as_json(),
            "timeout": report.timeout, "seconds": round(report.seconds, 3),
            "untranslatable": list(report.untranslatable), "properties": props}


def _overall(answers: list[Answer], by_answer: dict[int, Confirmed]) -> str:
    statuses = [_status(a, by_answer.get(id(a))) for a in answers]
    for s in ("inconsistent", "refuted", "unknown"):
        if s in statuses:
            return s
    return "proved"


def _status(a: Answer, c: Confirmed | None) -> str:
    return "inconsistent" if c is not None and not c.confirmed else a.status


def _answer_json(a: Answer, c: Confirmed | None, report: Report) -> dict[str, object]:
    out: dict[str, object] = {"subject": a.subject, "kind": a.kind, "status": _status(a, c),
                              "seconds": round(a.seconds, 3), "reason": a.reason}
    if c is not None and not c.confirmed:
        out["reason"] = "the evaluator does not confirm the counterexample read back from its case file"
    if a.labels is not None:
        out["label"] = {"zh": a.labels[0], "en": a.labels[1]}
    if a.abstractions:
        out["abstractions"] = sorted({f"{x.construct} in {x.node} ({x.span})" for x in a.abstractions})
    if c is not None:
        out["counterexample"] = {"file": str(c.path), "confirmed": c.confirmed}
        if a.subject in _item_ids(c.result_json):
            out["counterexample"]["item"] = _item_of(c.result_json, a.subject)  # type: ignore[index]
            if c.baseline_json is not None:
                out["counterexample"]["baseline_item"] = _item_of(c.baseline_json, a.subject)  # type: ignore[index]
    elif a.witness is not None and a.status in ("unknown", "inconsistent"):
        out["solver_case"] = {"date": a.witness.date.isoformat(),
                              "facts": {k: str(v) for k, v in sorted(a.witness.facts.items())}}
    return out


def _item_ids(result: dict[str, object] | None) -> list[str]:
    return [i["id"] for i in result.get("items", [])] if result else []  # type: ignore[index,union-attr]


def _item_of(result: dict[str, object] | None, item_id: str) -> dict[str, object]:
    item = next(i for i in result["items"] if i["id"] == item_id)  # type: ignore[index,union-attr]
    return {k: item[k] for k in ("payable", "amount", "payer", "advance_payer", "recover_from", "parts",
                                 "undetermined", "missing")}


def render(report: Report, confirmed: list[Confirmed], lang: str, fmt: str, each: bool = False) -> str:
    from explain.render import render_explanation

    data = report_json(report, confirmed)
    by_answer = {id(c.answer): c for c in confirmed}
    md = fmt == "md"
    lines: list[str] = []
    head = f"{w('title', lang)}: {w('regime', lang)} {report.regime}" + (
        f", {w('baseline', lang)} {report.baseline}" if report.baseline else "")
    lines.append(f"# {head}" if md else head)
    b = report.bounds
    lines.append(f"{w('bounds', lang)}: {w('dates', lang)} {b.first_date}..{b.last_date}, "
                 f"{w('list_bound', lang)} {b.list_bound}; {w('timeout', lang)} {report.timeout:g} s; "
                 f"{w('total', lang)} {report.seconds:.2f} s")
    if report.untranslatable:
        lines.append(f"{w('untranslatable', lang)}:")
        lines.extend(f"  - {u}" for u in report.untranslatable)
    lines.append("")
    if md:
        lines.append("| property | status | time (s) |" if lang == "en" else "| 性质 | 结论 | 用时（秒） |")
        lines.append("|---|---|---|")
    for p in data["properties"]:  # type: ignore[union-attr]
        label = p["label"][lang]
        status = STATUS[p["status"]][0 if lang == "zh" else 1]
        if md:
            lines.append(f"| {label} (`{p['property']}`) | {status} | {p['seconds']:.2f} |")
        else:
            lines.append(f"{status:<10} {p['seconds']:7.2f} s  {label} [{p['property']}]")
    lines.append("")
    if each:  # every proof with the time it took
        if md:
            lines += ["| property | item | status | time (s) |" if lang == "en" else "| 性质 | 项目 | 结论 | 用时（秒） |",
                      "|---|---|---|---|"]
        for a in report.answers:
            status = STATUS[_status(a, by_answer.get(id(a)))][0 if lang == "zh" else 1]
            lines.append(f"| `{a.property}` | `{a.subject}` | {status} | {a.seconds:.3f} |" if md
                         else f"  {status:<10} {a.seconds:7.3f} s  {a.property} {a.subject}")
        lines.append("")
    for a in report.answers:
        c = by_answer.get(id(a))
        status = _status(a, c)
        if status == "proved":
            continue
        zh, en = PROPERTIES[a.property]
        subject = a.subject if a.labels is None else f"{a.subject}: {a.labels[0 if lang == 'zh' else 1]}"
        title = f"{STATUS[status][0 if lang == 'zh' else 1]}: {zh if lang == 'zh' else en} — {subject} ({a.seconds:.2f} s)"
        lines.append(f"## {title}" if md else title)
        if a.reason:
            lines.append(f"  {w('why', lang)}: {a.reason}")
        if a.abstractions:
            lines.append(f"  {w('abstracted', lang)}: " + ", ".join(sorted({f'{x.construct} in {x.node}' for x in a.abstractions})))
        if c is not None:
            lines.append(f"  {w('counterexample', lang)}: {c.path}")
            lines.append("")
            text = c.path.read_text(encoding="utf-8")
            lines.extend(["```yaml", text.rstrip(), "```"] if md else ["    " + x for x in text.rstrip().splitlines()])
            if a.subject in _item_ids(c.result_json):
                lines.append("")
                lines.append(render_explanation(c.result_json, a.subject, lang, "md" if md else "text").rstrip())  # type: ignore[arg-type]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def exit_code(report: Report, confirmed: list[Confirmed]) -> int:
    """3 where a counterexample is not confirmed by the evaluator (an internal inconsistency), else 0."""
    if any(a.status == "inconsistent" for a in report.answers) or any(not c.confirmed for c in confirmed):
        return 3
    return 0


def prove_assertions(regime: str | None, rules: tuple[Path, ...], timeout: float, fmt: str, lang: str,
                     warnings: list[object]) -> int:
    """`check --prove`: the assertions of every regime (or of `regime`); exit 1 where one is refuted (a defect of the
    statutes), 3 where a counterexample is not confirmed by the evaluator."""
    import json

    import click

    from lawtrace.api import load_program, regime_names, with_overlays

    names = [regime] if regime else (sorted(with_overlays(tuple(rules)).regimes) if rules else list(regime_names()))
    out, code = [], 0
    for name in names:
        report = run(name, tuple(rules), None, Bounds(), timeout, None, True)
        confirmed = write_counterexamples(report, Path("counterexamples"), tuple(rules))
        data = report_json(report, confirmed)
        out.append(data)
        if exit_code(report, confirmed) == 3:
            code = 3
        elif code == 0 and any(a.status == "refuted" for a in report.answers):
            code = 1
        data["claims"] = []
        for claim in load_program(name, tuple(rules)).claims:
            part = run(name, tuple(rules), claim.baseline, Bounds(), timeout, claim.properties, False)
            part_confirmed = write_counterexamples(part, Path("counterexamples"), tuple(rules))
            status = _overall(part.answers, {id(c.answer): c for c in part_confirmed})
            data["claims"].append({"name": claim.name, "label": {"zh": claim.labels.zh, "en": claim.labels.en},
                                   "against": claim.baseline, "properties": list(claim.properties), "status": status,
                                   "report": report_json(part, part_confirmed)})
            if status == "inconsistent":
                code = 3
            elif code == 0 and status == "refuted":
                code = 1
            if fmt != "json":
                label = claim.labels.zh if lang == "zh" else claim.labels.en
                click.echo(f"{name}: {STATUS[status][0 if lang == 'zh' else 1]:<10} {part.seconds:6.2f} s  "
                           f"{claim.name}: {label} ({w('baseline', lang)} {claim.baseline}: "
                           f"{', '.join(claim.properties)}; {len(part.answers)} {w('items', lang)})")
                for a in part.answers:
                    if a.status != "proved":
                        c = next((c for c in part_confirmed if c.answer is a), None)
                        click.echo(f"    {STATUS[_status(a, c)][0 if lang == 'zh' else 1]}: {a.property} {a.subject}"
                                   + (f" ({a.reason})" if a.reason else "")
                                   + (f" — {w('counterexample', lang)}: {c.path}" if c else ""))
        if fmt != "json":
            for a in report.answers:
                status = STATUS[_status(a, next((c for c in confirmed if c.answer is a), None))][0 if lang == "zh" else 1]
                label = a.labels[0 if lang == "zh" else 1] if a.labels else a.subject
                click.echo(f"{name}: {status:<10} {a.seconds:6.2f} s  {a.subject}: {label}"
                           + (f" ({a.reason})" if a.reason else ""))
                c = next((c for c in confirmed if c.answer is a), None)
                if c is not None:
                    click.echo(f"    {w('counterexample', lang)}: {c.path}")
    if fmt == "json":
        click.echo(json.dumps({"ok": code == 0, "warnings": len(warnings), "regimes": out}, ensure_ascii=False, indent=2))
    else:
        click.echo(f"ok: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if code == 0 else
                   "assertions refuted" if code == 1 else "internal inconsistency")
    return code
