"""Text from documents made safe to show: no control character reaches a terminal.

A release is written by someone else. Its title, body, front matter, an HTML ``&#27;`` and
even its file name (in ids, paths and warnings) may hold terminal controls: ESC sequences
that clear the screen or set the window title (OSC 0/2), plant hyperlinks (OSC 8) or ask
the terminal to answer (DSR, DECRQSS), a bell, a backspace or a carriage return that
overwrites what was shown, 8-bit C1 controls (U+009B is CSI on some terminals), and bidi
overrides that show text in another order than it is (U+202E). Every output mode passes
text from documents through here, on a terminal and when piped (a file is ``cat`` later):

    >>> printable("Title\\x1b]0;pwned\\x07 \\x1b[2J end\\x08\\r")
    'Title␛]0;pwned␇ ␛[2J end␈␍'
    >>> printable("evil\\u202etxt.exe \\x9b31m")
    'evil<U+202E>txt.exe <U+009B>31m'

C0 controls become their Unicode "control pictures" (␛, ␇, ␈, ␍), DEL ␡, and C1 controls
and bidi controls ``<U+XXXX>``: visible, and never a control. Line feeds (and tabs, where
``keep`` says so) pass. JSON keeps the data exact instead: :func:`json_safe` escapes the
same characters as ``\\uXXXX``, which a JSON reader turns back into what the release holds.
"""

from __future__ import annotations

import re

#: C0 controls but the line feed, DEL, C1 controls, and the bidi embedding, override and
#: isolate controls (and the line/paragraph separators, which some terminals break on).
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")
_UNSAFE_WITH_TABS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                               "\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: str, keep_tabs: bool = False) -> str:
    """``text`` with every control character made visible (see the module's doc)."""
    pattern = _UNSAFE_WITH_TABS if keep_tabs else _UNSAFE
    return pattern.sub(_shown, text) if pattern.search(text) else text


def one_line(text: str) -> str:
    """:func:`printable`, line feeds too: for a field shown on one line (a CSV cell, an id)."""
    return printable(text).replace("\n", "\u2424")  # ␤


#: What a JSON text may still hold raw after ``json.dumps(ensure_ascii=False)`` (which
#: escapes C0 already): DEL, C1 and bidi controls, and the separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """A JSON text with the controls JSON leaves raw escaped as ``\\uXXXX``: the same data for
    a reader, harmless on a terminal. (They stand only inside strings, where an escape is
    valid.)

    >>> json_safe('"a\\u202eb\\x9b"')
    '"a\\\\u202eb\\\\u009b"'
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
