"""Version numbers and dotted number sequences: "v2.10" -> "version two point ten".

A version's parts are counted, not decimals: "2.10" after "v" or "version" is "two point ten",
where a decimal would be "two point one zero". Three numbers or more joined by dots are a
version or a section number ("1.2.3", "3.2.1"), read the same way; four of at most three
digits each, none past 255, are an IP address, read digit by digit with "dot" between. A
part with a leading zero ("1.05") is read digit by digit. A capital V is left alone: "V8" is
an engine. Dates written with dots ("03.05.2024") are matched before these rules.

Two numbers after the name of software that is known by its versions ("Python 3.12", "Ubuntu
22.04") or after a numbered part of a document ("Section 4.10", "Figure 2.13") are a version or
a section number too. Only those names: "Julia 1.25" or "Go 2.50 miles" may be anything; and not
before a unit ("Step 2.50 cups"). So are both ends of a range after such a name: "Python 3.9-3.12" is
"three point nine to three point twelve", where a decimal range would end "three point one two".
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers, rules_en_units
from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.rules_en_counted import quantity_follows

_HIGHEST_OCTET = 255
_END = r"(?![\w]|\.\d)"
_PREFIXED = re.compile(rf"(?<![\w.])v(?P<version>\d+(?:\.\d+)*){_END}")
_AFTER_WORD = re.compile(rf"(?<=[Vv]ersion )(?P<version>\d+\.\d+(?:\.\d+)*){_END}")
_DOTTED = re.compile(rf"(?<![\w.])(?P<version>\d+(?:\.\d+){{2,}}){_END}")
# Where the part after the point has one digit, a decimal is read the same: only two or more matter.
_PAIR = re.compile(rf"(?<![\w.])(?P<version>\d+\.\d{{2,}}){_END}")
_RANGE = re.compile(rf"(?<![\w.])(?P<low>\d+(?:\.\d+)*) ?[-\u2013] ?(?P<version>\d+(?:\.\d+)*){_END}")
_VERSIONED_NAMES = (
    "Python", "Ubuntu", "Debian", "Fedora", "macOS", "iOS", "iPadOS", "Android", "Windows", "Java", "Node",
    "Node.js", "PHP", "Perl", "Rust", "Kotlin", "Scala", "Lua", "Django", "React", "Angular", "Vue",
    "TypeScript", "Xcode", "Qt", "GCC", "Clang", "LLVM", "CUDA", "PyTorch", "TensorFlow", "NumPy", "Firefox",
    "Chrome", "Linux", "kernel", "Kubernetes", "Docker", "PostgreSQL", "MySQL", "GNOME", "KDE", "Blender",
    "OpenGL", "Vulkan", "Bluetooth", "Unicode", "Emacs", "Vim", "Git", "DOS",
    "Section", "Chapter", "Figure", "Fig.", "Table", "Equation", "Eq.", "Appendix", "Article", "Clause",
    "Paragraph", "Exercise", "Theorem", "Lemma", "Definition", "Example", "Listing", "Step", "\u00a7",
)  # fmt: skip
_NAME_BEFORE = re.compile(rf"(?<![\w.])(?:{alternation(_VERSIONED_NAMES)}) ?$")
# How far back the name may start: the longest name and its space.
_NAME_REACH = max(map(len, _VERSIONED_NAMES)) + 1


def part(text: str) -> str:
    """One counted part of a version: '10' -> 'ten', '05' -> 'zero five'."""
    return numbers.digits(text) if len(text) > 1 and text.startswith("0") else numbers.cardinal(int(text))


def version(text: str) -> str:
    """'2.10.1' -> 'two point ten point one'."""
    return " point ".join(part(piece) for piece in text.split("."))


def _is_address(parts: list[str]) -> bool:
    return len(parts) == 4 and all(len(part) <= 3 and int(part) <= _HIGHEST_OCTET for part in parts)


def _dotted(m: re.Match[str]) -> str:
    parts = m["version"].split(".")
    if _is_address(parts):
        return " dot ".join(numbers.digits(part) for part in parts)
    return version(m["version"])


def _after_name(m: re.Match[str]) -> str | None:
    """'Python 3.12' -> 'three point twelve'; left to the decimal rules after any other word, and before a unit:
    'Step 2.50 cups' and 'Section 3.14 kg' are measures."""
    if not _after_versioned_name(m) or measure_follows(m):
        return None
    return version(m["version"])


def _range_after_name(m: re.Match[str]) -> str | None:
    """'Python 3.9-3.12' -> 'three point nine to three point twelve'; a range with no point is left to the
    number rules, which read it alike or as years."""
    if "." not in m.group() or not _after_versioned_name(m) or measure_follows(m):
        return None
    return f"{version(m['low'])} to {version(m['version'])}"


def _after_versioned_name(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - _NAME_REACH - 1) : m.start()]
    return _NAME_BEFORE.search(before) is not None


def measure_follows(m: re.Match[str]) -> bool:
    """Whether a unit follows the number: its symbol ('kg', read by ``rules_en_units``) or its name ('cups')."""
    return rules_en_units.PATTERN.match(m.string, m.start()) is not None or quantity_follows(m.string, m.end(), True)


RULES = [
    Rule("version after v", _PREFIXED, lambda m: "version " + version(m["version"])),
    Rule("version after the word", _AFTER_WORD, lambda m: version(m["version"])),
    Rule("dotted numbers", _DOTTED, _dotted),
    Rule("version range after a name", _RANGE, _range_after_name),
    Rule("version after a name", _PAIR, _after_name),
]
