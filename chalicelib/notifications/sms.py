"""SMS text: which encoding a text needs, how many segments it costs, and its GSM-7 form.

The GSM 03.38 alphabet comes from the `gsm0338` package (its basic and extension tables), not typed
here. Counting follows 3GPP TS 23.038/23.040: one GSM-7 segment holds 160 septets, a part of a
longer message 153 (the rest is the concatenation header); extension characters (€ [ ] { } ^ ~ | \\
and form feed) take two septets and are never split across parts. UCS-2 holds 70 UTF-16 code units,
67 per part; an emoji outside the BMP takes 2 units and its surrogate pair is never split.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gsm0338.charset import BASIC_CHARACTER_SET, BASIC_CHARACTER_SET_EXTENSION

from ..domain.notification_settings import SmsMode

GSM7, UCS2 = "GSM-7", "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
PART = {GSM7: 153, UCS2: 67}


@lru_cache(maxsize=1)
def alphabet() -> tuple[frozenset[str], frozenset[str]]:
    """(basic characters, extension characters) of GSM 03.38; ESC itself is no character."""
    basic = frozenset(unicodedata.lookup(n) for n in BASIC_CHARACTER_SET.values() if n != "ESCAPE")
    extension = frozenset(unicodedata.lookup(n) for n in BASIC_CHARACTER_SET_EXTENSION.values())
    return basic, extension


@dataclass(frozen=True)
class SmsText:
    text: str
    encoding: str  # "GSM-7" or "UCS-2"
    segments: int
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)


def is_gsm7(text: str) -> bool:
    basic, extension = alphabet()
    return all(c in basic or c in extension for c in text)


def measure(text: str) -> SmsText:
    """The text as written: GSM-7 if every character is in the alphabet, UCS-2 otherwise."""
    if is_gsm7(text):
        _, extension = alphabet()
        sizes = [2 if c in extension else 1 for c in text]
        return SmsText(text, GSM7, _segments(sizes, GSM7), sum(sizes))
    sizes = [2 if ord(c) > 0xFFFF else 1 for c in text]
    return SmsText(text, UCS2, _segments(sizes, UCS2), sum(sizes))


def _segments(sizes: list[int], encoding: str) -> int:
    """Parts needed when each character (of `sizes` units) must fit whole in one part."""
    if sum(sizes) <= SINGLE[encoding]:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > PART[encoding]:
            parts, used = parts + 1, 0
        used += size
    return parts


def encode(text: str, mode: SmsMode | str) -> SmsText:
    """The text to send under a business's SMS mode, with its encoding and segment count."""
    mode = SmsMode(mode)
    as_written = measure(unicodedata.normalize("NFC", text))  # "e" + combining accent is the GSM-7 "é"
    if mode is SmsMode.AS_WRITTEN or as_written.encoding == GSM7:
        return as_written
    replaced = measure(to_gsm7(as_written.text))
    if mode is SmsMode.GSM7:
        return replaced
    return replaced if replaced.segments < as_written.segments else as_written


# Punctuation and spaces without a decomposition to GSM-7, written as what a reader expects.
_PUNCTUATION = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2022": "-", "\u00b7": ".", "\u2026": "...", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2007": " ", "\t": " ", "\u00d7": "x", "\u00b0": "o", "\u00a9": "(c)", "\u00ae": "(R)",
    "\u2122": "TM", "\u00a2": "c", "\u0131": "i",
}
_LATIN_NAME = re.compile(r"^LATIN (SMALL|CAPITAL) (?:LETTER|LIGATURE) ([A-Z]{1,2})\b")


def to_gsm7(text: str) -> str:
    """Each character outside GSM-7 becomes its closest GSM-7 form; the alphabet's own accented
    letters (é è ù ì ò à Ç É Ä Ö Ñ Ü ä ö ñ ü Ø ø Å å Æ æ ß) stay as they are."""
    replaced = "".join(_closest(c) for c in unicodedata.normalize("NFC", text))
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", replaced) if replaced != text else replaced


@lru_cache(maxsize=1024)
def _closest(char: str) -> str:
    basic, extension = alphabet()
    if char in basic or char in extension:
        return char
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    # á -> a, š -> s, ő -> o, ﬁ -> fi, ² -> 2: the decomposition without its marks, when that is GSM-7.
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(c in basic or c in extension for c in base):
        return base
    # ł -> l, đ -> d, œ -> oe: letters with no decomposition still name their base letter.
    match = _LATIN_NAME.match(unicodedata.name(char, ""))
    if match:
        letters = match.group(2)
        return letters.lower() if match.group(1) == "SMALL" else letters.capitalize()
    category = unicodedata.category(char)
    if category.startswith(("S", "M")) or category in ("Cf", "Co", "Cs"):
        return ""  # emoji and other symbols, joiners, variation selectors: nothing to read aloud
    if category.startswith("Z"):
        return " "
    return "?"
