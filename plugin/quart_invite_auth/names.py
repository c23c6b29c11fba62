"""Names: validation, and the one compared form that every lookup and counter uses.

All names (seed-000 account names and seed-003 login names) live in one namespace and are
compared under the PRECIS `NicknameCaseMapped` profile (RFC 8266: width-mapped, spaces
mapped and collapsed, trimmed, lower-cased, NFKC). Nickname rather than Username, because
seed-003 names such as "example login" have spaces. On top of the profile, a name must
be visible (no blank look-alikes such as U+2800) and must not mix scripts in a way that
lets one name pass for another ("r\u043e\u043et", "root" with Cyrillic "o"): the mixes UTS #39 calls
"highly restrictive" (Latin with Han and the Japanese kana, with Bopomofo, or with
Hangul) are fine, any other mix is refused if confusable-homoglyphs finds a character in
it that looks like one of another script.

`compared_name` is the single function behind the name index (creation and lookup, both
surfaces), the failure counters and the device tokens, so a name is treated exactly the
same at creation and at login, whichever surface it comes through.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from confusable_homoglyphs import categories, confusables
from precis_i18n import get_profile

from .errors import ErrorCode, ProblemError

MAX_NAME_LEN = 64
# LMDB keys stop at 511 bytes, and NFKC can turn one character into eighteen (U+FDFA):
# the compared form is bounded in bytes as well.
MAX_NAME_KEY_BYTES = 256
_ACCOUNT_RE = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

_COMPARED = get_profile("NicknameCaseMapped")
_DISPLAYED = get_profile("NicknameCasePreserved")

# Code points the profile allows that show as nothing at all. (The default-ignorable
# ones, such as U+FE0F, U+034F, U+200B and the Hangul fillers, the profile refuses.)
_BLANK = frozenset(
    {
        0x2800,  # BRAILLE PATTERN BLANK
        0x3164,  # HANGUL FILLER (NFKC makes it U+1160, which the profile refuses too)
        0xFFA0,  # HALFWIDTH HANGUL FILLER
        0x115F,  # HANGUL CHOSEONG FILLER
        0x1160,  # HANGUL JUNGSEONG FILLER
        0x1D159,  # MUSICAL SYMBOL NULL NOTEHEAD
        0xFFFC,  # OBJECT REPLACEMENT CHARACTER
    }
)
# Scripts that carry no letters of their own: they never make a name "mixed".
_NEUTRAL_SCRIPTS = frozenset({"COMMON", "INHERITED"})
# UTS #39 §5.2 "highly restrictive": the script mixes that real names in East Asia need.
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)


@dataclass(frozen=True)
class Name:
    """A name that passed the rules: how it is shown, and how it is compared."""

    shown: str
    compared: str

    @property
    def key(self) -> bytes:
        """The name index's key."""
        return self.compared.encode()


class NameRefused(Exception):
    """The name breaks the rules; the message says which."""


def _scripts(text: str) -> set[str]:
    return {categories.alias(c) for c in text} - _NEUTRAL_SCRIPTS


def _confusable_mix(text: str) -> bool:
    scripts = _scripts(text)
    if len(scripts) <= 1 or any(scripts <= mix for mix in _ALLOWED_MIXES):
        return False
    return bool(confusables.is_confusable(text, preferred_aliases=[]))


@functools.lru_cache(maxsize=4096)
def _parse(name: str) -> Name | str:
    """The name's forms, or why it is refused (cached: logins repeat the same names)."""
    try:
        shown = _DISPLAYED.enforce(name)
        compared = _COMPARED.enforce(name)
    except UnicodeEncodeError as exc:
        reason = str(exc.reason).partition("/")[2] or str(exc.reason)
        if reason == "empty" or exc.start >= len(exc.object):
            return f"names are 1-{MAX_NAME_LEN} characters long"  # nothing left once trimmed
        char = exc.object[exc.start]
        what = " ".join(filter(None, (f"U+{ord(char):04X}", unicodedata.name(char, ""))))
        return f"names may not contain {what} ({reason})"
    if not 1 <= len(shown) <= MAX_NAME_LEN:
        return f"names are 1-{MAX_NAME_LEN} characters long"
    if len(compared.encode()) > MAX_NAME_KEY_BYTES:
        return f"names are at most {MAX_NAME_KEY_BYTES} bytes long in their compared form"
    blank = next((c for c in compared if ord(c) in _BLANK), None)
    if blank is not None:
        return f"names may not contain the invisible character U+{ord(blank):04X}"
    if _confusable_mix(compared):
        return "names may not mix scripts with look-alike characters"
    return Name(shown, compared)


def parse_name(name: str) -> Name:
    """The forms of a valid name; NameRefused if it breaks the rules."""
    parsed = _parse(name)
    if isinstance(parsed, str):
        raise NameRefused(parsed)
    return parsed


def legacy_key(name: str) -> str:
    """The compared form before PRECIS (NFKC, case-folded): the key that names stored by
    earlier versions had in the name index, until the store moved them (on open)."""
    # A lone surrogate (JSON allows "\\ud800") cannot be stored: spelled out instead.
    text = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return unicodedata.normalize("NFKC", text).casefold()


def compared_name(name: str) -> str:
    """The form names are compared in, for any string a client sends.

    A valid name gives its PRECIS compared form. A string that breaks the rules cannot
    belong to anyone created under them; it gets its legacy form, which finds a name an
    earlier version stored (if the store kept one under it) and otherwise nobody. Either
    way the result depends on the string alone, never on what the store holds, so the
    counters it keys cannot tell who exists."""
    parsed = _parse(name)
    return parsed.compared if isinstance(parsed, Name) else legacy_key(name)


def lookup_key(name: str) -> bytes | None:
    """The name index key that finds `name` (None: longer than any stored name's).

    A valid name is found by its compared form. A string the rules refuse can only be a
    name an earlier version stored that the current rules would refuse, and is found by
    its legacy form."""
    key = compared_name(name).encode()
    return key if len(key) <= MAX_NAME_KEY_BYTES else None


def validate_account_name(account: str) -> Name:
    """Seed 000 account names: 1-64 of a-z 0-9 . _ -, starting and ending alphanumeric
    (all such names are also valid under the general rules, compared as they are)."""
    if not _ACCOUNT_RE.fullmatch(account):
        raise ProblemError(
            ErrorCode.INVALID_ACCOUNT_NAME,
            "account names are 1-64 characters of a-z, 0-9, '.', '_' and '-', "
            "starting and ending with a letter or digit",
        )
    try:
        return parse_name(account)
    except NameRefused as exc:  # pragma: no cover - the pattern admits only valid names
        raise ProblemError(ErrorCode.INVALID_ACCOUNT_NAME, str(exc)) from exc


def validate_login_name(name: str) -> Name:
    """Seed 003 login names: free text under the rules above; kept as the profile shows
    it (trimmed, inner spaces collapsed, NFKC), compared case-insensitively."""
    try:
        return parse_name(name)
    except NameRefused as exc:
        raise ProblemError(ErrorCode.INVALID_NAME, str(exc)) from exc


def validate_domain(domain: str) -> str:
    """A DNS host name (RFC 1123 labels, at least two), compared in lower case."""
    if not domain.isascii():
        # str.lower() maps some non-ASCII letters to ASCII ("K" KELVIN SIGN to "k"): refuse
        # first, so two spellings can never name one domain. IDNs arrive as punycode.
        raise ProblemError(ErrorCode.INVALID_DOMAIN, f"{domain!r} is not ASCII (use punycode)")
    host = domain.lower().removesuffix(".")
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL_RE.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ProblemError(ErrorCode.INVALID_DOMAIN, f"{domain!r} is not a valid domain name")
    return host
