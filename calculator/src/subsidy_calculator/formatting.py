"""How each language writes money, durations and dates, and the `[[figure]]` placeholders.

Shared by the calculator (in the browser and CPython) and the site generator, so a figure is
written the same way everywhere. Standard library only.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from . import periods
from .vocabulary import FIGURE_REF

PLACEHOLDER = FIGURE_REF  # [[figure]] in a text (vocabulary.py)

_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def _number(value: float, lang: str = "en") -> str:
    """1111 -> '1,111' (en) / '1111' (zh: no thousands separator); 1.2 -> '1.2'."""
    sep = "," if lang == "en" else ""
    if float(value).is_integer():
        return f"{int(value):{sep}}" if sep else str(int(value))
    text = f"{value:,}" if sep else f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(value: float, lang: str) -> str:
    """2111 -> '2111元' / '2,111 yuan'; 1000000 -> '100万元' / '1,000,000 yuan';
    111000000000 -> '1110亿元'. Chinese official style: no space, no thousands separator."""
    if lang == "zh":
        if value >= 100000000 and float(value / 100000000).is_integer():
            return f"{_number(value / 100000000, lang)}亿元"
        if value >= 10000 and float(value / 10000).is_integer():
            return f"{_number(value / 10000, lang)}万元"
        return f"{_number(value, lang)}元"
    return f"{_number(value)} yuan"


def format_count(value: int, lang: str) -> str:
    """A count of people or cases: 10000 -> '10,000' (en) / '10000' (zh)."""
    return _number(value, lang)


_UNITS = {
    "month": ("个月", "month", "months"),
    "year": ("年", "year", "years"),
}


def format_quantity(value: float, unit: str, lang: str) -> str:
    """Write a figure with its unit: money, months, years ('1.2个月' / '1.2 months')."""
    if unit == "yuan":
        return format_money(value, lang)
    zh, en_one, en_many = _UNITS[unit]
    if lang == "zh":
        return f"{_number(value, lang)}{zh}"
    return f"{_number(value)} {en_one if value == 1 else en_many}"


def format_date(day: _dt.date | str, lang: str) -> str:
    """2123-02-01 -> '2123年2月1日' / '1 February 2123'."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


_ZH_DIGITS = "零一二三四五六七八九"


def format_numeral(number: int, lang: str) -> str:
    """A measure's or part's number as each language writes it: 5 -> '五' (zh, up to 99) / '5' (en)."""
    if lang != "zh" or not 0 < number < 100:
        return str(number)
    tens, units = divmod(number, 10)
    return ((_ZH_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
            + (_ZH_DIGITS[units] if units else ""))


def nearest_value(figure: Mapping[str, Any], day: _dt.date | str | None) -> Mapping[str, Any]:
    """The value in force on `day`; else the last one that ended before it; else the first one
    still to come (a text always has something to show)."""
    iso = _iso(day)
    values = figure["values"]
    current = periods.value_on(figure, iso)
    if current is not None:
        return current
    ended = [v for v in values if periods.ended(v, iso)]
    return ended[-1] if ended else values[0]


def _iso(day: _dt.date | str | None) -> str:
    if day is None:
        return _dt.date.today().isoformat()
    return day if isinstance(day, str) else day.isoformat()


def render_text(text: str, lang: str, figures: Mapping[str, Mapping[str, Any]],
                day: _dt.date | str | None = None) -> str:
    """Replace `[[figure_id]]` (or `[[measure-id.figure_id]]`, with `figures` keyed that way)
    by the figure in force on `day` (None: today), written for `lang`."""

    def replace(match: re.Match[str]) -> str:
        figure = figures[match.group(1)]
        return format_quantity(nearest_value(figure, day)["value"], figure["unit"], lang)

    return PLACEHOLDER.sub(replace, text)


# -- reading what people type in a spreadsheet (the list check, lists.py) -------------------------
# yes/no in either language, compared after NFKC and casefold
YES_WORDS = frozenset(("是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "对"))
NO_WORDS = frozenset(("否", "n", "no", "false", "f", "0", "×", "✗", "✘", "不是"))
_DATE_WRITTEN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")   # an Excel day number, e.g. 46082 = 2026-03-01
_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def read_date(value: str) -> str | None:
    """'2026/3/1', '2026-03-01', '2026年3月1日', '2026/3/1 0:00' or an Excel day number -> ISO."""
    m = _DATE_WRITTEN.match(value)
    try:
        if m:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        m = _SERIAL.match(value)
        if m and 20000 <= int(m[1]) <= 80000:   # 1954-2119: a date, not a small number
            return (_EXCEL_EPOCH + _dt.timedelta(days=int(m[1]))).isoformat()
    except ValueError:
        return None
    return None
