"""`lawtrace ask`: the facts still worth finding out, ranked (`--next`), or an interview in the terminal.

The interview first asks the regime (where neither the case nor --regime names
one) and the accident date (where the case has none), then only the facts that
could still change an answer, the most decisive first, one at a time; it checks
each answer against the fact's declared type (a wrong answer is asked again),
lets the caseworker say "don't know" (the fact stays unknown and is not asked
again), says where the answers are saved, and ends with a short summary: one
line per item (`lawtrace explain` gives the reasons).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from lawtrace.cli_support import LANGS, emit_json, user_errors


@click.command("ask")
@click.argument("case", required=False)
@click.option("--next", "next_only", is_flag=True, help="Only list the facts worth asking next, ranked.")
@click.option("--regime", help="Regime to apply (overrides the case file's).")
@click.option("--date", "on", help="Date of the accident, YYYY-MM-DD (overrides the case file's).")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="A DSL overlay file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--save", type=click.Path(path_type=Path), help="Interview: write the completed case file here.")
@user_errors
def ask(case: str | None, next_only: bool, regime: str | None, on: str | None, rules: tuple[Path, ...], fmt: str,
        lang: str, save: Path | None) -> None:
    """The facts still unknown that could change an answer: `--next` ranks them; without it, an interview."""
    session = _Session.start(case, regime, on, rules, lang)
    session.save = save
    if next_only:
        data = session.questions_json()
        if fmt == "json":
            emit_json(data)
        else:
            from explain.render import render_questions

            click.echo(render_questions(data, lang), nl=False)
        return
    session.interview()
    if save is not None:
        import yaml

        save.write_text(yaml.safe_dump(session.case_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
        click.echo(session.w["ask_saved"].format(path=save))


class _Session:
    """A case being completed: its raw answers (as a case file holds them) and the engine values."""

    def __init__(self, program: Any, evaluator: Any, meta: dict[str, Any], raw: dict[str, Any], facts: dict[str, object],
                 on: Any, lang: str, rules: tuple[Path, ...]):
        from explain.i18n import WORDS

        self.program, self.evaluator, self.meta = program, evaluator, meta
        self.raw, self.facts, self.on = raw, facts, on
        self.lang, self.w, self.rules = lang, WORDS[lang], rules
        self.skipped: set[str] = set()
        self.kind = "worker"  # or "employer" (a case file's `kind`)
        self.regime_given = True  # the case or --regime named the regime (else the interview asks it first)
        self.save: Path | None = None
        self.titles = {i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest} for i in program.instruments}

    @classmethod
    def start(cls, case: str | None, regime: str | None, on: str | None, rules: tuple[Path, ...], lang: str) -> _Session:
        from dsl.source import SourceFile
        from engine.run.case import case_date, case_kind, parse_case, read_case, validate_facts
        from lawtrace.api import DEFAULT_REGIME, evaluator, load_program

        parsed = read_case(case) if case else parse_case(SourceFile("<new case>", "facts: {}\n"))
        name = regime or parsed.regime or DEFAULT_REGIME
        program = load_program(name, rules)
        facts = validate_facts(program, parsed)
        when = case_date(parsed, on)
        meta = {k: v for k, v in parsed.data.items() if k not in ("facts", "date", "regime")}
        meta["regime"] = name
        raw = {k: v for k, v in parsed.raw_facts.items() if v is not None}
        session = cls(program, evaluator(name, rules), meta, raw, facts, when, lang, rules)
        session.kind = case_kind(parsed)
        session.regime_given = bool(regime or parsed.regime)
        return session

    def _choose_regime(self) -> None:
        """The first question of an interview without a regime: which law applies (Enter: the national one)."""
        from lawtrace.api import DEFAULT_REGIME, evaluator, load_program, regime_names

        names = sorted(regime_names(), key=lambda n: (n != DEFAULT_REGIME, n))
        labels = [load_program(n).labels for n in names]  # from the cache: no statute parsed to ask the first question
        click.echo(f"\n[0] {self.w['regime']}")
        click.echo("    " + "  ".join(f"{k}) {words.zh if self.lang == 'zh' else words.en}"
                                   for k, words in enumerate(labels, start=1)))
        while True:
            text = click.prompt(f"    ({self.w['ask_regime_hint']})", default="", show_default=False,
                                prompt_suffix=" > ").strip()
            name = (DEFAULT_REGIME if not text else names[int(text) - 1] if text.isdigit() and 1 <= int(text) <= len(names)
                    else text if text in names else None)
            if name is not None:
                break
            click.echo(f"    ✗ {self.w['ask_invalid']}: {self.w['ask_expected_choice'].format(n=len(names))}")
        self.meta["regime"] = name
        self.program, self.evaluator = load_program(name, self.rules), evaluator(name, self.rules)
        self.titles = {i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest} for i in self.program.instruments}

    # ------------------------------------------------------------ ranking

    def questions(self) -> list[Any]:
        from engine.analysis.questions import next_questions

        return next_questions(self.evaluator, self.facts, self.on, frozenset(self.skipped), self.kind)

    def questions_json(self) -> dict[str, object]:
        from engine.model.values import to_json

        out = []
        for q in self.questions():
            node = self.program.nodes.get(q.fact)
            entry: dict[str, object] = {
                "fact": q.fact, "label": self._labels(q.fact), "decides": list(q.decides),
                "needed_for": list(q.needed_for), "score": q.score,
                "at_stake": f"{q.at_stake:.2f}" if q.at_stake is not None else None,
                "type": str(node.type) if node is not None else "date",
            }
            if node is not None:
                entry["citations"] = [c.as_json() for c in node.cites]
            if q.presumed is not None and node is not None:
                entry["presumed"] = to_json(q.presumed, node.type)
            out.append(entry)
        labels = {b.id: {"zh": b.labels.zh, "en": b.labels.en} for b in self.program.benefits}
        return {"questions": out, "regime": self.program.regime, "date": self.on.isoformat() if self.on else None,
                "items": labels, "instruments": self.titles}

    def _labels(self, fact: str) -> dict[str, str]:
        from explain.i18n import WORDS

        node = self.program.nodes.get(fact)
        if node is None:
            return {"zh": WORDS["zh"]["date"], "en": WORDS["en"]["date"]}
        return {"zh": node.labels.zh, "en": node.labels.en}

    # ------------------------------------------------------------ interview

    def interview(self) -> None:
        from explain.render import render_summary

        w = self.w
        click.echo(w["ask_intro"])
        click.echo(w["ask_save_where"].format(path=self.save) if self.save else w["ask_not_saved"])
        asked = 0
        try:
            if not self.regime_given:
                self._choose_regime()
            click.echo(f"lawtrace ask — {w['regime']}: {self.program.labels.zh if self.lang == 'zh' else self.program.labels.en} "
                       f"({self.program.regime})")
            while True:
                questions = self.questions()
                if self.on is None:  # the accident date first: it chooses the law in force
                    questions = [q for q in questions if q.fact == "date"] + [q for q in questions if q.fact != "date"]
                if not questions:
                    click.echo("\n" + w["ask_done"])
                    break
                asked += 1
                if not self._ask(asked, questions[0]):
                    click.echo("\n" + w["ask_stopped"])
                    break
        except click.Abort:
            click.echo("\n" + w["ask_aborted"], err=True)
            raise SystemExit(1) from None
        data = self.result_json()
        click.echo("")
        click.echo(render_summary(data, self.lang), nl=False)
        click.echo(w["ask_explain_hint"].format(path=self.save or "CASE.yaml"))

    def _ask(self, n: int, q: Any) -> bool:
        """Ask one question until it gets a valid answer; False when the caseworker stops."""
        from explain.i18n import cite_text

        node = self.program.nodes.get(q.fact)
        label = self._labels(q.fact)[self.lang]
        click.echo(f"\n[{n}] {label} ({q.fact})")
        if node is not None and node.cites:
            click.echo(f"    {self.w['basis']}: " + "; ".join(cite_text(c, self.lang, self.titles) for c in node.cites))
        if q.presumed is not None and node is not None:
            from engine.model.values import to_json
            from explain.values import show_value

            click.echo("    " + self.w["presumed_now"].format(value=show_value(to_json(q.presumed, node.type), str(node.type), self.lang)))
        if q.decides:
            names = [b.labels.zh if self.lang == "zh" else b.labels.en for b in self.program.benefits if b.id in q.decides]
            word = self.w["ask_changes"] if q.presumed is not None else self.w["ask_decides"]
            click.echo(f"    {word}: " + ("、" if self.lang == "zh" else ", ").join(names))
        type_ = node.type if node is not None else None
        choices = _choices(type_, self.lang)
        if choices:
            click.echo("    " + "  ".join(f"{k}) {c}" for k, c in enumerate(choices, start=1)))
        while True:
            answer = click.prompt(f"    ({self._hint(type_)})", default="", show_default=False, prompt_suffix=" > ").strip()
            if answer.lower() in self.w["ask_quit_words"].split():
                return False
            if not answer:
                self.skipped.add(q.fact)
                click.echo(f"    {self.w['ask_skipped']}")
                return True
            try:
                raw = self._list_answer(answer, type_) if _is_list(type_) else self._parse(answer, type_)
                self._accept(q.fact, raw)
                return True
            except _Invalid as e:
                click.echo(f"    ✗ {self.w['ask_invalid']}: {e}")

    def _list_answer(self, answer: str, type_: Any) -> list[dict[str, object]]:
        """A list fact: how many entries, then each entry's fields (Enter leaves a field unknown)."""
        try:
            count = int(answer)
        except ValueError:
            raise _Invalid(self.w["ask_expected_number"]) from None
        if count < 0:
            raise _Invalid(self.w["ask_expected_number"])
        entries = []
        for k in range(1, count + 1):
            entry: dict[str, object] = {}
            for f in type_.fields:
                label = (f.label_zh if self.lang == "zh" else f.label_en) or f.name
                choices = _choices(f.type, self.lang)
                listing = ("  " + "  ".join(f"{i}) {c}" for i, c in enumerate(choices, start=1))) if choices else ""
                while True:
                    text = click.prompt(f"      {self.w['ask_entry'].format(n=k)} · {label}{listing} ({self._hint(f.type)})",
                                        default="", show_default=False, prompt_suffix=" > ").strip()
                    if not text:
                        break
                    try:
                        entry[f.name] = self._parse(text, f.type)
                        break
                    except _Invalid as e:
                        click.echo(f"      ✗ {self.w['ask_invalid']}: {e}")
            entries.append(entry)
        return entries

    def _parse(self, text: str, type_: Any) -> object:
        """The answer as a case file would hold it; its range and form are checked by `_accept`."""
        from dsl import types as T

        if isinstance(type_, T.BoolType):
            low = text.lower()
            if low in self.w["ask_yes_words"].split():
                return True
            if low in self.w["ask_no_words"].split():
                return False
            raise _Invalid(self.w["ask_expected_bool"])
        if isinstance(type_, T.EnumType):
            if text.isdigit() and 1 <= int(text) <= len(type_.values):
                return type_.values[int(text) - 1]
            if text in type_.values:
                return text
            by_label = {type_.label(m, lang): m for m in type_.values for lang in ("zh", "en")}
            if text in by_label:
                return by_label[text]
            raise _Invalid(self.w["ask_expected_choice"].format(n=len(type_.values)))
        if isinstance(type_, T.IntType):
            if not re.fullmatch(r"[+-]?\d+", text):
                raise _Invalid(self.w["ask_hint_int"])
            return int(text)
        if isinstance(type_, (T.MoneyType, T.RateType)):
            number = text.replace(",", "").replace("，", "").removesuffix("元").strip()
            scale = Decimal(100) if number.endswith("%") and isinstance(type_, T.RateType) else Decimal(1)
            try:
                value = Decimal(number.removesuffix("%")) / scale
            except InvalidOperation:
                raise _Invalid(self.w["ask_expected_number"]) from None
            return int(value) if value == value.to_integral_value() and scale == 1 else str(value)
        return text  # dates and the rest: checked as a case file's value is

    def _accept(self, fact: str, raw: object) -> None:
        """Check the answer exactly as a case file's value is checked, then keep it."""
        from dsl.errors import LawtraceError, SourceError
        from dsl.source import SourceFile
        from engine.run.case import case_date, parse_case, validate_facts

        if fact not in self.program.nodes:  # the case's own date
            probe = parse_case(SourceFile("<answer>", json.dumps({"date": raw})))
            try:
                self.on = case_date(probe, None)
            except LawtraceError as e:
                raise _Invalid(e.message if isinstance(e, SourceError) else str(e)) from None
            return
        probe = parse_case(SourceFile("<answer>", json.dumps({"facts": {fact: raw}}, ensure_ascii=False)))
        try:
            value = validate_facts(self.program, probe)[fact]
        except LawtraceError as e:
            message = e.message if isinstance(e, SourceError) else str(e)
            raise _Invalid(message.removeprefix(f"facts.{fact}: ")) from None
        self.raw[fact] = raw
        self.facts[fact] = value

    def _hint(self, type_: Any) -> str:
        from dsl import types as T

        w = self.w
        if type_ is None or isinstance(type_, T.DateType):
            return w["ask_hint_date"]
        if isinstance(type_, T.BoolType):
            return w["ask_hint_bool"]
        if isinstance(type_, T.EnumType):
            return w["ask_hint_choice"]
        if isinstance(type_, T.IntType):
            return w["ask_hint_range"].format(low=type_.low, high=type_.high) if type_.low is not None else w["ask_hint_int"]
        if isinstance(type_, T.MoneyType):
            return w["ask_hint_money"]
        if isinstance(type_, T.RateType):
            return w["ask_hint_rate"]
        if isinstance(type_, T.ListType):
            return w["ask_hint_list"]
        return str(type_)

    # ------------------------------------------------------------ the end

    def case_data(self) -> dict[str, object]:
        data: dict[str, object] = {k: v for k, v in self.meta.items() if k not in ("regime", "date")}
        data["regime"] = self.meta["regime"]
        if self.on is not None:
            data["date"] = self.on.isoformat()
        data["facts"] = dict(self.raw)
        return data

    def result_json(self) -> dict[str, Any]:
        from engine.run.result import result_json
        from lawtrace.api import evaluate_case

        return result_json(evaluate_case(self.case_data(), rules=self.rules))


class _Invalid(Exception):
    """An answer that does not fit the fact's type; the message says what was expected."""


def _choices(type_: Any, lang: str = "zh") -> list[str]:
    """An enum's members as the caseworker reads them: the member's words, its name beside them."""
    from dsl import types as T

    if not isinstance(type_, T.EnumType):
        return []
    return [f"{type_.label(m, lang)} ({m})" if type_.label(m, lang) != m else m for m in type_.values]


def _is_list(type_: Any) -> bool:
    from dsl import types as T

    return isinstance(type_, T.ListType)


command = ask
