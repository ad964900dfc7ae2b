"""The page's own words (the form and its controls) in Chinese and English.

The words of results and explanations are explain/i18n.py's; these are only
what a form needs around them. Nothing here names a fact or an item.
"""

from __future__ import annotations

LANGS = ("zh", "en")

UI: dict[str, dict[str, str]] = {
    "zh": {
        "title": "工伤保险待遇核算", "subtitle": "按法规逐条计算：应支付什么、多少、由谁支付、依据哪一条",
        "other_lang": "English", "case_section": "案件", "regime": "适用规则", "date": "事故（职业病诊断）日期",
        "case_id": "案件编号", "case_name": "姓名", "case_notes": "备注", "case_kind": "案件类型",
        "kind_worker": "职工的工伤保险待遇", "kind_employer": "用人单位的缴费、滞纳金和罚款", "case_as_of": "评估日（期限、滞纳金计算至此日）",
        "questions": "尚待查明的事实",
        "questions_help": "只列出仍会影响结论的事实，按重要性排序；不知道就留空（留空即“未知”，不会当作“否”或“0”）。",
        "answered": "已填写的事实", "evaluate": "计算", "unknown": "（未知）", "yes": "是", "no": "否",
        "next": "下一个问题", "decides": "可决定", "at_stake": "涉及金额",
        "none_entries": "没有（确认为空）", "add_row_help": "每行一条；整行留空即不算一条。", "row": "第 {n} 条",
        "range": "{low}–{high}", "money_hint": "元", "rate_hint": "比例，例如 0.6", "date_hint": "年-月-日",
        "int_hint": "整数", "fix_errors": "请先更正标出的字段。", "result": "结果", "status": "结论", "amount": "金额（元）",
        "payer": "最终支付方", "advance": "先行支付与追偿", "explain": "说明",
        "why": "为什么？", "why_not": "为什么不支付？", "what_missing": "还缺什么？",
        "missing": "尚需查明的事实", "no_missing": "没有尚需查明的事实。", "assumed": "推定",
        "explanations": "各项待遇的理由", "downloads": "保存", "permalink": "本案永久链接",
        "download_yaml": "下载案件文件（YAML）", "download_json": "下载案件文件（JSON）", "download_report": "下载 HTML 报告",
        "back": "返回案件", "no_questions": "没有尚待查明且影响结论的事实。",
        "api": "JSON 接口说明（OpenAPI）", "presumed": "未填时推定", "presumed_as": "未填时推定为",
        "no_such_item": "本规则没有这一待遇项目",
        "explanation_failed": "这一项的说明未能生成（错误已记入服务器日志）；上表的结论不受影响。",
        "window_from": "应付期间的第一日", "window_to": "应付期间的最后一日",
        "window_help": "填写两日，即按月列出该期间应付的金额（与 lawtrace eval --from --to 相同）。",
        "window_error": "应付期间须同时给出第一日和最后一日（年-月-日），第一日不得晚于最后一日。",
        "owed": "期间内应付的金额", "owed_window": "{start} 至 {end}", "month": "月份", "total": "合计",
        "owed_by_payer": "按最终支付方", "owed_none": "该期间内没有按整月应付的金额。",
        "partial": "不足整月的月份（未计入合计）",
        "partial_help": "我们的资料未规定不足一个月如何支付：列出按日折算和整月两种数额，均不推定，也不计入合计。",
        "partial_days": "{days}/{of_days} 日", "pro_rata": "按日折算", "full_month": "整月",
        "undated": "日期或数额尚不能确定的项目（未计入）", "undated_missing": "取决于",
    },
    "en": {
        "title": "Work-injury insurance benefits", "subtitle": "Article by article: what is owed, how much, by whom, and why",
        "other_lang": "中文", "case_section": "Case", "regime": "Regime", "date": "Date of the accident (diagnosis)",
        "case_id": "Case id", "case_name": "Name", "case_notes": "Notes", "case_kind": "Kind of case",
        "kind_worker": "a worker's benefits", "kind_employer": "an employer's contributions, late fee and fines", "case_as_of": "Evaluated as of (deadlines, late fees)",
        "questions": "Facts still to find out",
        "questions_help": "Only facts that can still change an answer, most useful first. "
                          "Leave a field empty when you do not know: empty means unknown, never no or zero.",
        "answered": "Facts given", "evaluate": "Evaluate", "unknown": "(unknown)", "yes": "yes", "no": "no",
        "next": "next question", "decides": "decides", "at_stake": "at stake",
        "none_entries": "none (confirmed empty)", "add_row_help": "One entry per row; a row left empty is no entry.",
        "row": "entry {n}", "range": "{low}–{high}", "money_hint": "yuan", "rate_hint": "a fraction, e.g. 0.6",
        "date_hint": "YYYY-MM-DD", "int_hint": "a whole number", "fix_errors": "Please correct the fields marked below.",
        "result": "Result", "status": "Answer", "amount": "Amount (yuan)", "payer": "Paid in the end by",
        "advance": "Advanced and recovered", "explain": "Explanation",
        "why": "Why?", "why_not": "Why not?", "what_missing": "What is missing?",
        "missing": "Facts still needed", "no_missing": "No fact is still needed.", "assumed": "Assumed",
        "explanations": "The reasoning for each item", "downloads": "Save", "permalink": "Permalink to this case",
        "download_yaml": "Download the case file (YAML)", "download_json": "Download the case file (JSON)",
        "download_report": "Download the HTML report", "back": "Back to the case",
        "no_questions": "No unknown fact left that could change an answer.",
        "api": "JSON API (OpenAPI)", "presumed": "presumed when empty", "presumed_as": "presumed, when empty, to be",
        "no_such_item": "no such benefit item in this regime",
        "explanation_failed": "The explanation of this item could not be made (the error is in the server's log); "
                              "the answer in the table stands.",
        "window_from": "First day of the window owed", "window_to": "Last day of the window owed",
        "window_help": "Give both days to list what falls due in them, month by month (as lawtrace eval --from --to).",
        "window_error": "Give both days of the window (YYYY-MM-DD), the first not after the last.",
        "owed": "What falls due in the window", "owed_window": "{start} to {end}", "month": "Month", "total": "Total",
        "owed_by_payer": "By who pays in the end", "owed_none": "Nothing falls due in whole months in the window.",
        "partial": "Part months (in no total)",
        "partial_help": "Our sources do not say how a part month is paid: the pro-rata and the full-month figures are "
                        "both shown, neither presumed, and neither counted.",
        "partial_days": "{days} of {of_days} days", "pro_rata": "pro rata", "full_month": "full month",
        "undated": "Items whose days or amounts are not yet known (not counted)", "undated_missing": "depends on",
    },
}


def lang_of(raw: str | None) -> str:
    return raw if raw in LANGS else "zh"
