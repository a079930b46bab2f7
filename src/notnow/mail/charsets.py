"""Bytes to text when the declared charset cannot be trusted, and RFC 2047 encoded words.

What real mail does, and what we do about it:

- ``iso-8859-1`` / ``latin-1`` / ``us-ascii`` labels on windows-1252 bytes (curly quotes, the
  euro sign in 0x80–0x9F): those labels are read as windows-1252, as browsers do (WHATWG).
- Those labels, or none, on UTF-8 bytes: bytes that are valid UTF-8 with multi-byte sequences
  are read as UTF-8.
- Unknown or made-up charsets (``x-unknown``, ``unknown-8bit``, ``utf8mb4``) and codecs that are
  not text encodings (``base64_codec``): UTF-8 if the bytes are valid, else windows-1252.
- ``utf-8`` labels on bytes that are not UTF-8: windows-1252 when no multi-byte sequence is
  valid, else UTF-8 with replacement characters.
- Encoded words that are broken (bad padding, unknown charset, no space between them, inside
  quotes): decoded where possible, else left as they are.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re

_LATIN_LABELS = frozenset({
    "iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
    "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "windows-1252", "cp1252", "x-cp1252",
})
_ALIASES = {"utf8mb4": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
            "x-sjis": "shift_jis", "ks_c_5601-1987": "cp949", "gb2312": "gb18030",
            "gbk": "gb18030", "x-mac-roman": "mac-roman", "iso-8859-8-i": "iso-8859-8"}
_MULTIBYTE_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                             rb"|[\xf0-\xf4][\x80-\xbf]{3}")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]{0,4000})\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)[ \t]+(?==\?)")


def _codec(label: str | None) -> str | None:
    """A Python text codec for a charset label, or None when there is no such text encoding."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower().split("*", 1)[0]  # RFC 2231 language suffix
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text of `data` given its declared `charset` (which may lie or be unknown). Never raises."""
    if data.isascii():
        return data.decode("ascii")
    label = (charset or "").strip().strip("\"'").lower()
    codec = _codec(label)
    if codec is None or label in _LATIN_LABELS or codec == "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if codec == "utf-8" and _MULTIBYTE_UTF8.search(data):
            return data.decode("utf-8", errors="replace")
        return data.decode("cp1252", errors="replace")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return data.decode(codec, errors="replace")
    except Exception:  # a codec with a bug of its own on hostile bytes
        return data.decode("cp1252", errors="replace")


def header_text(value: str) -> str:
    """A raw header value (folded, maybe raw 8-bit as surrogate escapes, maybe encoded words)
    as one line of text."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = decode_bytes(value.encode("ascii", "surrogateescape"))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = " ".join(part.strip() for part in value.split("\n")) if "\n" in value else value
    if "=?" in value:
        value = decode_encoded_words(value)
    # control characters (a hostile header can carry them) never reach the text we keep
    return "".join(ch if ch >= " " or ch == "\t" else " " for ch in value).strip()


def decode_encoded_words(value: str) -> str:
    """RFC 2047, leniently: whitespace between adjacent encoded words is dropped."""
    value = _BETWEEN_WORDS.sub(r"\1", value)
    return _ENCODED_WORD.sub(_decode_word, value)


def _decode_word(match: re.Match[str]) -> str:
    charset, kind, payload = match.group(1), match.group(2).lower(), match.group(3)
    try:
        if kind == "b":
            payload = payload.rstrip("=")
            raw = base64.b64decode(payload + "=" * (-len(payload) % 4), validate=False)
        else:
            raw = quopri.decodestring(payload.replace("_", " ").encode("ascii", "replace"),
                                      header=False)
    except (binascii.Error, ValueError):
        return match.group(0)
    return decode_bytes(raw, charset)
