"""Text helpers shared by every wing: decoding files, folding labels, slugs."""

from __future__ import annotations

import re
import unicodedata

# Tried in order; latin-1 decodes any byte, so it is the last resort.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(content: bytes) -> tuple[str, str] | None:
    """Bytes of a text file → (text, encoding); None for binary content.

    UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), cp1252 and Latin-1.
    """
    if content.startswith(UTF16_BOMS):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if b"\x00" in content:
        return None
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None  # unreachable: latin-1 decodes any byte


def strip_accents(text: object) -> str:
    """'Número' → 'Numero'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: object) -> str:
    """'  Número de  Muertos ' → 'numero de muertos': no accents, case or punctuation."""
    plain = strip_accents(str(text).lstrip("\ufeff")).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def slug(text: object, sep: str = "_") -> str:
    """'Rutas y corredores' → 'rutas_y_corredores' (accents folded, any separator)."""
    return fold(text).replace(" ", sep)
