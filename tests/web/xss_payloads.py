"""Cross-site scripting payloads for every field a visitor or a pinging site fills.

Each one, if any part of it ever became live markup, would run ``alert(1)`` (a dialog a browser
test can listen for) or load something. The discussion tests post them in every field, approve
them and check the rendered HTML has no live markup; the headless-browser test imports
:data:`PAYLOADS` (and :func:`seed`, which stores them approved on a cable straight through the
ORM, bypassing the forms' validation, as a moderator's edit or an old row could) and checks that no
dialog fires and the console stays clean.
"""

from __future__ import annotations

PAYLOADS: list[str] = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//example.invalid/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"alert(1)\">",
    '<body onload=alert(1)>',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](jav\tascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '[click](https://example.org/"onmouseover="alert(1))',
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">click</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<p style=\"background:url(javascript:alert(1))\">styled</p>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    "<scr\x00ipt>alert(1)</script>",
    "javascript:alert(1)",
    "{{ 7|add:7 }} {% now 'Y' %} ${7*7}",
    "> <script>alert(1)</script>\n\n*<img src=x onerror=alert(1)>*",
]

# Website fields must be http(s) URLs; these are the payloads a URL field should refuse, and the
# ones it may accept (then they must be shown inert).
URL_PAYLOADS: list[str] = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "https://example.org/\"><script>alert(1)</script>",
    "https://example.org/'onmouseover='alert(1)",
    "https://example.org/<svg/onload=alert(1)>",
]


def seed(cable, approved: bool = True) -> list:
    """Store every payload on ``cable`` (a store Cable row) as comments and mentions, straight
    through the ORM (no form validation), approved: what a page must show inert."""
    from cables.web.discussion.models import Comment, Mention, Status

    status = Status.APPROVED if approved else Status.PENDING
    rows = []
    for i, payload in enumerate(PAYLOADS):
        payload = payload.replace("\x00", "")  # PostgreSQL text holds no NUL (forms refuse it)
        parent = Comment.objects.create(
            cable=cable, name=payload[:80], email=f"xss{i}@example.org",
            website=URL_PAYLOADS[i % len(URL_PAYLOADS)], body=payload, status=status,
            paragraph=1)
        rows.append(parent)
        rows.append(Comment.objects.create(
            cable=cable, parent=parent, name=payload[:80], email=f"xss{i}@example.org",
            body=payload, status=status))
        rows.append(Mention.objects.create(
            cable=cable, kind=Mention.TRACKBACK, source_url=URL_PAYLOADS[i % len(URL_PAYLOADS)] + f"?n={i}",
            title=payload[:200], excerpt=payload, blog_name=payload[:200], status=status))
    return rows
