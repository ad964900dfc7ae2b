"""Citations of articles (条/款/项), in the JSON, English and Chinese forms of CONTRACT.md."""

from __future__ import annotations

import msgspec

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Chinese numerals as statutes write them: 37 → 三十七, 105 → 一百零五, 10 → 十."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        tail = chinese_number(rest)
        return head + ("一" + tail if rest < 20 else tail)
    return str(n)


class Citation(msgspec.Struct, frozen=True, order=True):
    instrument: str
    version: str | None
    article: int
    paragraph: int | None = None
    item: int | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"instrument": self.instrument, "version": self.version, "article": self.article}
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        if self.item is not None:
            out["item"] = self.item
        return out

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Citation:
        return cls(
            str(data["instrument"]),
            data.get("version"),  # type: ignore[arg-type]
            int(data["article"]),  # type: ignore[arg-type]
            data.get("paragraph"),  # type: ignore[arg-type]
            data.get("item"),  # type: ignore[arg-type]
        )

    def article_key(self) -> tuple[str, str | None, int]:
        return (self.instrument, self.version, self.article)

    def en(self) -> str:
        text = f"{self.instrument} art. {self.article}"
        if self.paragraph is not None:
            text += f"({self.paragraph})"
            if self.item is not None:
                text += f"({self.item})"
        return text

    def dsl(self) -> str:
        """The citation as written in a statute file, with its version: `WIIR@2010 37(1)(1)`."""
        at = f"@{self.version}" if self.version else ""
        return f"{self.instrument}{at} {self.en().split(' art. ')[1]}"

    def en_versioned(self, multi_version: bool) -> str:
        if multi_version and self.version:
            return f"{self.instrument} ({self.version}) art. {self.en().split(' art. ')[1]}"
        return self.en()

    def zh(self, title: str, version_note: str | None = None) -> str:
        text = f"《{title}》"
        if version_note:
            text += f"（{version_note}）"
        text += f"第{chinese_number(self.article)}条"
        if self.paragraph is not None:
            text += f"第{chinese_number(self.paragraph)}款"
            if self.item is not None:
                text += f"第（{chinese_number(self.item)}）项"
        return text

    def __str__(self) -> str:
        return self.en()


LEVELS_ZH = {"law": "法律", "regulation": "行政法规", "rule": "部门规章", "province": "省级", "city": "设区的市级",
             "reform": "改革方案"}


def zh_list(cites: tuple[Citation, ...] | list[Citation], titles: dict[str, str],
            latest: dict[str, str] | None = None) -> str:
    """Citations in Chinese, for a message: 《工伤保险条例》第三十五条第一款、……; a title quoted inside the 《》 takes
    the inner marks 〈〉 (E5), and an older version than `latest` names its year (《工伤保险条例》（2003年文本）第三十四条)."""
    def one(c: Citation) -> str:
        title = titles.get(c.instrument, c.instrument).replace("《", "〈").replace("》", "〉")
        older = latest is not None and bool(c.version) and c.version != latest.get(c.instrument, c.version)
        return c.zh(title, f"{c.version}年文本" if older else None)
    return "、".join(one(c) for c in cites)


def en_list(cites: tuple[Citation, ...] | list[Citation], latest: dict[str, str] | None = None) -> str:
    """Citations in English, for a message, an older version than `latest` with its year: WIIR (2003) art. 34."""
    return ", ".join(c.en_versioned(latest is not None and bool(c.version)
                                    and c.version != latest.get(c.instrument, c.version)) for c in cites)
