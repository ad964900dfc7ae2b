"""The words of the reports in Chinese and English, and citation text in the form lawyers use."""

from __future__ import annotations

from engine.model.citations import Citation

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
        # explanations (explain/why.py and the explain templates)
        "yes": "是", "no": "否", "unknown": "未知", "not_evaluated": "未计算", "records": "{n} 条记录",
        "explanation": "说明", "conclusion": "结论", "reasoning": "理由（按推理顺序）", "why_not": "不支付的原因",
        "still_open": "尚未确定的部分", "deciding_facts": "可决定此项的事实", "undetermined_fields": "尚未确定",
        "given": "案件给定", "presumed": "推定", "not_given": "案件未提供", "version_from": "自 {date} 起施行的规定",
        "rule": "规则", "lookup_row": "查表 {table}：{key} → {value}", "table_entry": "按表取第 {key} 项：{value}", "a_table": "（表）", "note": "注", "source": "来源",
        "field_payable": "支付条件", "field_amount": "金额", "field_payer": "最终支付方",
        "field_advance_payer": "先行支付方", "field_recover_from": "追偿对象", "field_arises": "产生之日",
        "field_part_amount": "分项 {name}：金额", "field_part_payer": "分项 {name}：支付方",
        "if_cond": "如果", "if_then": "则", "if_else": "否则", "first_known": "已知则取", "else_known": "否则取",
        "any_of": "以下条件均不成立（其中任一成立即可支付）", "must_hold": "须成立：{expr}",
        "must_be": "须为「{value}」：{what}", "must_not_hold": "须不成立：{expr}",
        "gist_marker": "（英文译文大意，非中文原文）", "text_unavailable": "（条文文本未收录）",
        "quote_open": "「", "quote_close": "」", "gloss": "概要",
        "concl_payable": "应支付{label} {amount} 元（{period}），最终支付方：{payer}。",
        "concl_payable_open": "应支付{label}，金额尚不能确定（{period}），最终支付方：{payer}。",
        "concl_not_payable": "不支付{label}。",
        "concl_undetermined": "{label}是否应支付尚不能确定。",
        "because": "依据", "articles": "引用条文", "result_table": "结果一览", "status": "结论", "period": "支付方式",
        "report": "工伤保险待遇核算", "item_explanations": "各项待遇的理由", "notes": "备注", "name": "姓名",
        "questions": "下一步应查明的事实", "decides": "可决定", "no_questions": "没有尚待查明且影响结论的事实。",
        "at_stake": "涉及金额",
        "func_min": "min：取其中较小者", "func_max": "max：取其中较大者",
        "func_clamp": "clamp：限定在下限与上限之间（低于下限按下限，高于上限按上限）",
        "func_abs": "abs：取绝对值", "func_round_yuan": "round_yuan：四舍五入到元", "func_year": "year：取年份",
        "func_days_between": "days_between：两日期之间的天数",
        "amount_if_payable_sentence": "如应支付，金额为 {amount} 元。", "needed_for": "相关",
        # the interview (lawtrace ask)
        "ask_intro": "逐一回答问题。直接回车表示“不知道”（该事实保持未知，不再询问）；输入 q 结束询问。",
        "ask_decides": "可决定", "ask_invalid": "答案无效", "ask_changes": "答案不同则改变",
        "presumed_now": "目前依法推定为「{value}」，请核实", "ask_skipped": "（未知，跳过）",
        "ask_done": "没有尚待查明且影响结论的事实了。", "ask_stopped": "询问结束。", "ask_aborted": "询问已中止，未作结论。",
        "ask_yes_words": "是 对 有 y yes true 1", "ask_no_words": "否 不 不是 没有 无 n no false 0",
        "ask_hint_bool": "是/否", "ask_hint_int": "整数", "ask_hint_range": "{low}–{high}", "ask_hint_money": "金额，元",
        "ask_hint_rate": "比例，如 0.6 或 60%", "ask_hint_date": "YYYY-MM-DD", "ask_hint_choice": "输入编号或名称",
        "ask_hint_list": "共几项？输入数字", "ask_entry": "第 {n} 项", "ask_expected_bool": "请回答 是 或 否",
        "ask_expected_choice": "请输入 1 到 {n} 的编号或选项名称", "ask_expected_number": "请输入数字",
        "ask_saved": "案件已保存到 {path}", "ask_quit_words": "q quit exit 退出 结束",
        "explanations": "各项说明",
        # employer cases, ranges and deadlines
        "date_employer": "缴费期间（日期）", "as_of": "评估日", "field_amount_min": "金额下限", "field_amount_max": "金额上限",
        "amount_range": "金额幅度", "set_by": "具体数额由{who}确定", "range_text": "{min} 至 {max} 元",
        "concl_payable_range": "应支付{label}（{period}），金额在 {min} 元至 {max} 元之间，具体数额由{who}确定；支付方：{payer}。",
        "deadlines": "期限", "due": "届满日", "latest": "如顺延则至", "done_on": "完成日", "consequence": "逾期后果",
        "status_met": "已按期完成", "status_missed": "已逾期", "status_running": "期限未届满",
        "status_not_applicable": "不适用", "status_undetermined": "尚不能确定",
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
        # explanations (explain/why.py and the explain templates)
        "yes": "yes", "no": "no", "unknown": "unknown", "not_evaluated": "not evaluated", "records": "{n} entries",
        "explanation": "Explanation", "conclusion": "Conclusion", "reasoning": "Reasoning (in order)",
        "why_not": "Why it is not payable", "still_open": "What is still open", "deciding_facts": "Facts that would decide it",
        "undetermined_fields": "Not yet decided", "given": "given in the case", "presumed": "presumed",
        "not_given": "not given in the case", "version_from": "rule in force from {date}", "rule": "rule",
        "lookup_row": "table {table}: {key} → {value}", "table_entry": "entry {key} of the table: {value}", "a_table": "(a table)", "note": "Note", "source": "source",
        "field_payable": "condition for payment", "field_amount": "amount", "field_payer": "final payer",
        "field_advance_payer": "advance payer", "field_recover_from": "recovered from", "field_arises": "the day it arises",
        "field_part_amount": "part {name}: amount", "field_part_payer": "part {name}: payer",
        "if_cond": "if", "if_then": "then", "if_else": "else", "first_known": "if known", "else_known": "otherwise",
        "any_of": "none of these held (any one would have been enough)", "must_hold": "would have had to hold: {expr}",
        "must_be": "would have had to be \"{value}\": {what}", "must_not_hold": "would have had not to hold: {expr}",
        "gist_marker": "(gist of a translation, not the original text)", "text_unavailable": "(text not available)",
        "quote_open": "\u201c", "quote_close": "\u201d", "gloss": "Summary",
        "concl_payable": "Payable: {label}, {amount} yuan ({period}), paid in the end by {payer}.",
        "concl_payable_open": "Payable: {label} ({period}), paid in the end by {payer}; the amount cannot be determined yet.",
        "concl_not_payable": "Not payable: {label}.",
        "concl_undetermined": "Not yet determined: whether {label} is payable.",
        "because": "Basis", "articles": "Articles quoted", "result_table": "Result", "status": "Answer", "period": "Period",
        "report": "Work-injury insurance benefits", "item_explanations": "The reasoning for each item", "notes": "Notes",
        "name": "Name", "questions": "Facts worth finding out next", "decides": "decides",
        "no_questions": "No unknown fact left that could change an answer.", "at_stake": "at stake",
        "func_min": "min: the smallest of", "func_max": "max: the largest of",
        "func_clamp": "clamp: held between a floor and a ceiling (below the floor, the floor; above the ceiling, the ceiling)",
        "func_abs": "abs: the absolute value", "func_round_yuan": "round_yuan: rounded to the yuan",
        "func_year": "year: the year of", "func_days_between": "days_between: the days between two dates",
        "amount_if_payable_sentence": "If payable, the amount is {amount} yuan.", "needed_for": "bears on",
        # the interview (lawtrace ask)
        "ask_intro": "Answer one question at a time. Press Enter for \"don't know\" (the fact stays unknown and is not asked again); type q to stop.",
        "ask_decides": "decides", "ask_invalid": "not a valid answer", "ask_changes": "another answer would change",
        "presumed_now": "presumed \"{value}\" for now, as the law says: please check", "ask_skipped": "(unknown, skipped)",
        "ask_done": "No unknown fact left that could change an answer.", "ask_stopped": "Interview ended.",
        "ask_aborted": "Interview aborted; no answer given.",
        "ask_yes_words": "y yes true 1 是", "ask_no_words": "n no false 0 否",
        "ask_hint_bool": "yes/no", "ask_hint_int": "a whole number", "ask_hint_range": "{low}–{high}",
        "ask_hint_money": "an amount in yuan", "ask_hint_rate": "a share, e.g. 0.6 or 60%", "ask_hint_date": "YYYY-MM-DD",
        "ask_hint_choice": "a number or a name", "ask_hint_list": "how many entries? a number", "ask_entry": "entry {n}",
        "ask_expected_bool": "answer yes or no", "ask_expected_choice": "enter a number from 1 to {n} or the name of a choice",
        "ask_expected_number": "enter a number", "ask_saved": "case saved to {path}", "ask_quit_words": "q quit exit",
        "explanations": "Explanations",
        # employer cases, ranges and deadlines
        "date_employer": "Premium period (date)", "as_of": "Evaluated as of", "field_amount_min": "lowest amount",
        "field_amount_max": "highest amount", "amount_range": "Range", "set_by": "the figure is set by {who}",
        "range_text": "{min} to {max} yuan",
        "concl_payable_range": "Payable: {label} ({period}), between {min} and {max} yuan, the figure set by {who}; paid by {payer}.",
        "deadlines": "Time limits", "due": "last day", "latest": "or, if the period runs on,", "done_on": "done on",
        "consequence": "if missed", "status_met": "met", "status_missed": "missed", "status_running": "running",
        "status_not_applicable": "does not apply", "status_undetermined": "undetermined",
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
