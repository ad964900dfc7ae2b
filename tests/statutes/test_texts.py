"""The article texts in statutes/national are the texts of ../shared/law, and every article is accounted for.

A verbatim text must appear, line by line, in the instrument's law file; a
law-file article must appear in the statute file (encoded, or omitted with a
reason); an article left out on purpose has no rule citing it.
"""

from __future__ import annotations

import re

import pytest

from engine.build.catalog import STATUTES_DIR, load_catalog
from engine.build.compile import compile_regime
from engine.analysis.coverage import rules_by_article

LAW = STATUTES_DIR.parent.parent / "shared" / "law"
FILES = {"SIL": "social-insurance-law-2010.md", "WIIR": "regulations-2010.md", "APM": "advance-payment-measures-2011.md"}


def law_articles(code: str) -> dict[int, list[str]]:
    """Article number → the quoted lines of its text in the law file."""
    out: dict[int, list[str]] = {}
    current = None
    for line in (LAW / FILES[code]).read_text(encoding="utf-8").splitlines():
        m = re.match(r"### 第.+条 \(Article (\d+)\)", line)
        if m:
            current = int(m.group(1))
            out[current] = []
        elif line.startswith("#"):
            current = None
        elif current is not None and line.startswith("> "):
            out[current].append(line[2:].strip())
    return out


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


pytestmark = pytest.mark.skipif(not LAW.exists(), reason="../shared/law is not next to the repository")


@pytest.mark.parametrize("code", sorted(FILES))
def test_verbatim_texts_are_the_law_files_texts(catalog, code):
    law = law_articles(code)
    checked = 0
    for article in catalog.instruments[code].articles:
        status = article.text_status or ("verbatim" if article.text else "unavailable")
        if status != "verbatim" or article.version == "2003":
            continue
        assert article.number in law, f"{code} art. {article.number} is not in {FILES[code]}"
        lines = [x for x in article.text.splitlines() if x]
        source = law[article.number]
        # whole lines, in order; APM 13 stops at the end of its verbatim first sentence (……)
        assert lines == source[:len(lines)], f"{code} art. {article.number} differs from {FILES[code]}"
        checked += 1
    assert checked >= {"SIL": 20, "WIIR": 60, "APM": 8}[code]


def test_apm_paraphrases_are_not_written_as_text(catalog):
    apm = {a.number: a for a in catalog.instruments["APM"].articles}
    assert "据K转述" not in (apm[13].text or "") and "paraphrase" not in (apm[13].text or "")
    for n in (9, 10, 11, 12, 14, 15, 16, 17):
        assert apm[n].text is None and apm[n].text_status == "unavailable" and apm[n].omitted


@pytest.mark.parametrize("code", sorted(FILES))
def test_every_article_of_the_law_file_is_in_the_statutes(catalog, code):
    declared = {a.number for a in catalog.instruments[code].articles if a.version is None}
    assert set(law_articles(code)) <= declared


def test_no_article_is_both_omitted_and_encoded(catalog):
    program = compile_regime(catalog, "national")
    rules = rules_by_article(program)
    for code in FILES:
        module = catalog.instruments[code]
        latest = max(module.instrument.versions, key=lambda v: v.in_force).version
        for a in module.articles:
            if a.omitted:
                assert a.decls == ()
                assert (code, a.version or latest, a.number) not in rules, f"{code} {a.number} is omitted but cited"
