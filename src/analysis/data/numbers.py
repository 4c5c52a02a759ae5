"""Numbers written as people write them: '8000', '8.000', '1.500,50', 'US$ 1 500', '2,5'.

The decimal mark comes from the dataset's declaration (`number_format` in dataset.yml) or, when
nothing is declared, from unambiguous evidence in the same column of the same file: a value
with both marks, a mark followed by other than three digits, several thousands marks, a
leading zero. A value that stays ambiguous ('8.000' alone: eight, or eight thousand?) is
never guessed: it is flagged so the report can ask for the declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

CURRENCY_SIGNS = re.compile(r"(?:US|RD|U\$S|C|B/\.|Bs|L|Q)?\s*[$€£¥₡₲₱₹₩₽¢]")
CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}(?=[\s\d+-])|(?<=[\d\s])[A-Za-z]{3}$")
BLANKS = re.compile(r"\s+")  # spaces, non-breaking and thin spaces alike
SCIENTIFIC = re.compile(r"^-?\d+(?:\.\d+)?[eE][+-]?\d+$")
PLAIN = re.compile(r"^-?\d+$")
MARKS = ".,"


@dataclass(frozen=True)
class NumberFormat:
    """A declared number format: the decimal mark and the thousands mark ('' for none)."""

    decimal: str = "."
    thousands: str = ""

    def pattern(self) -> re.Pattern:
        d = re.escape(self.decimal)
        if not self.thousands:
            return re.compile(rf"^-?(?:\d+(?:{d}\d+)?|{d}\d+)$")
        t = re.escape(self.thousands)
        return re.compile(rf"^-?(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}\d+)?$|^-?{d}\d+$")

    def read(self, text: str) -> float:
        """The number `text` stands for in this format; NaN when it does not fit it."""
        if not self.pattern().match(text):
            return np.nan
        if self.thousands:
            text = text.replace(self.thousands, "")
        return float(text.replace(self.decimal, "."))


def clean(text: str) -> str:
    """Without currency signs or codes, spaces or a leading plus; Unicode minus as '-'."""
    text = CURRENCY_SIGNS.sub("", text.strip())
    text = CURRENCY_CODE.sub("", text.strip())
    text = BLANKS.sub("", text).replace("\u2212", "-")
    return text[1:] if text.startswith("+") else text


def evidence(text: str) -> str | None:
    """The decimal mark a cleaned value proves on its own ('.' or ','), or None."""
    marks = [c for c in text if c in MARKS]
    if not marks:
        return None
    if len(set(marks)) == 2:
        return marks[-1]
    mark = marks[0]
    other = "," if mark == "." else "."
    if len(marks) > 1:
        return other  # several marks of one kind separate thousands
    whole, _, part = text.lstrip("-").partition(mark)
    if len(part) != 3 or whole in ("", "0") or len(whole) > 3:
        return mark
    return None  # 1,234 or 8.000: either reading is possible


def ambiguous(text: str) -> bool:
    """A single mark followed by exactly three digits, with nothing else to tell."""
    return any(c in MARKS for c in text) and evidence(text) is None and not SCIENTIFIC.match(text)


def _format_for(decimal: str) -> NumberFormat:
    return NumberFormat(decimal, "," if decimal == "." else ".")


def parse(values: pd.Series, declared: NumberFormat | None = None,
          below_thousand: bool = False) -> tuple[pd.Series, pd.Series]:
    """(numbers, ambiguous) for one column of one file.

    `below_thousand`: the column cannot reach 1000 (latitude, a sentence in years), so a mark
    before three digits can only be a decimal mark."""
    texts = values.fillna("").astype(str)
    unique = pd.unique(texts)
    cleaned = {v: clean(v) for v in unique}
    if declared is None:
        proofs = {evidence(c) for c in cleaned.values()} - {None}
        if below_thousand and not proofs:
            proofs = {"."} if any("." in c for c in cleaned.values()) else {","}
        column = _format_for(proofs.pop()) if len(proofs) == 1 else None
    else:
        column = declared
    numbers: dict[str, float] = {}
    unclear: dict[str, bool] = {}
    for raw, text in cleaned.items():
        unclear[raw] = False
        if text == "":
            numbers[raw] = np.nan
        elif PLAIN.match(text) or SCIENTIFIC.match(text):  # 1.5e3: how workbooks store 1500
            numbers[raw] = float(text)
        elif column is not None:
            numbers[raw] = column.read(text)
        elif evidence(text) is not None:
            numbers[raw] = _format_for(evidence(text)).read(text)
        else:
            numbers[raw] = np.nan
            unclear[raw] = ambiguous(text)
    return (texts.map(numbers).astype("float64"), texts.map(unclear).astype(bool))
