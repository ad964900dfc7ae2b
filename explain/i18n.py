"""The words of the reports in Chinese and English, and citation text in the form lawyers use."""

from __future__ import annotations

from engine.citations import Citation

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "case": "案件", "regime": "适用规则", "date": "事故（诊断）日期", "payable": "应支付",
        "not_payable": "不支付", "undetermined": "尚不能确定", "amount": "金额", "yuan": "元",
        "payer": "最终支付方", "advance_payer": "先行支付方", "recover_from": "追偿对象", "basis": "依据",
        "missing": "尚需查明的事实", "assumed": "推定", "diagnostics": "提示", "parts": "分项",
        "once": "一次性", "monthly": "每月", "yearly": "每年", "none": "无",
        "missing_facts": "尚需查明的事实（全部）", "amount_if_payable": "如应支付，金额为",
        "fund": "工伤保险基金", "employer": "用人单位", "third_party": "第三人", "state": "国家财政",
        "items": "待遇项目",
    },
    "en": {
        "case": "Case", "regime": "Regime", "date": "Date of accident (diagnosis)", "payable": "payable",
        "not_payable": "not payable", "undetermined": "undetermined", "amount": "Amount", "yuan": "yuan",
        "payer": "paid by", "advance_payer": "advanced by", "recover_from": "recovered from", "basis": "Basis",
        "missing": "Facts still needed", "assumed": "Assumed", "diagnostics": "Notes", "parts": "Parts",
        "once": "once", "monthly": "monthly", "yearly": "yearly", "none": "none",
        "missing_facts": "Facts still needed (all items)", "amount_if_payable": "if payable, the amount is",
        "fund": "the work-injury insurance fund", "employer": "the employer", "third_party": "the third party",
        "state": "public finance", "items": "Benefit items",
    },
}


def cite_text(c: dict[str, object] | Citation, lang: str, titles: dict[str, dict[str, str]]) -> str:
    citation = c if isinstance(c, Citation) else Citation.from_json(c)
    info = titles.get(citation.instrument, {})
    older = bool(citation.version) and citation.version != info.get("latest", citation.version)
    if lang == "zh":
        title = info.get("zh", citation.instrument)
        return citation.zh(str(title), f"{citation.version}年文本" if older else None)
    return citation.en_versioned(older)
