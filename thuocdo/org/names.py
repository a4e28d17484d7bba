"""Vietnamese names: the sort key (given name, middle, family; Vietnamese alphabet, tones
after letters) and the diacritic-free search text."""

from __future__ import annotations

import unicodedata

# The Vietnamese alphabet, then the foreign letters that appear in some names.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwz"
_LETTER_CODE = {ch: f"{i + 1:02d}" for i, ch in enumerate(_ALPHABET)}
# Dictionary order of the tones: level, huyền, hỏi, ngã, sắc, nặng.
_TONE_CODE = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_QUALITY_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_WORD_END = "00"
_SEGMENT_END = "|"


def _split_letter(ch: str) -> tuple[str, str]:
    """Split one character into its base letter (with vowel-quality mark) and its tone digit."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = "0"
    quality = ""
    for mark in decomposed[1:]:
        if mark in _TONE_CODE:
            tone = _TONE_CODE[mark]
        elif mark in _QUALITY_MARKS:
            quality += mark
    return unicodedata.normalize("NFC", base + quality), tone


def name_parts(full_name: str) -> list[str]:
    """Split a full name into words, collapsing runs of spaces."""
    return full_name.split()


def sort_key(full_name: str) -> str:
    """Return a digits-only key that orders names the Vietnamese way in any DB collation.

    Given name first, then the middle names, then the family name; letters in the Vietnamese
    alphabet order, and tones only break ties between names with the same letters.
    """
    parts = name_parts(full_name)
    if not parts:
        return ""
    given, middle, family = parts[-1], parts[1:-1], parts[:-1][:1]
    key: list[str] = []
    for word in [given, *middle, _SEGMENT_END, *family]:
        if word is _SEGMENT_END:
            # Closes the middle names, so "Ngô Hà" (no middle name) precedes "Đặng Thu Hà".
            key.append(_WORD_END)
            continue
        letters: list[str] = []
        tones: list[str] = []
        for ch in word:
            base, tone = _split_letter(ch)
            code = _LETTER_CODE.get(base)
            if code is None:
                continue  # hyphens, apostrophes and the like do not order names
            letters.append(code)
            tones.append(tone)
        # Tones follow the word's letters: they only order words spelled alike (Hà before
        # Hạ), and both words then have tone strings of the same length.
        key.extend([*letters, _WORD_END, *tones])
    return "".join(key)


def fold(text: str) -> str:
    """Lower-case text without diacritics (đ becomes d), for searching."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text(full_name: str, *extra: str) -> str:
    """Return the folded words of a name padded with spaces, so a query matches word starts."""
    words = fold(" ".join([full_name, *extra])).split()
    return " " + " ".join(words) + " "
