"""Clean article bodies: drop page furniture lines, and find where a sentence's real text begins."""

from __future__ import annotations

import re

from newsroundup.text.furniture import looks_like_furniture

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # C0 controls but tab and newline, and DEL
# Whole lines that are page furniture, not reporting. Matched against a stripped line.
_FURNITURE_LINE = re.compile(
    r"""^(?:
        advertisement|advertising|sponsored(?:\s+content)?|ad|skip\s+(?:to\s+)?(?:main\s+)?content|
        (?:share|tweet|email|print|save|comment)(?:\s+(?:this|on\s+\w+|article|story))?|
        (?:share\s+(?:on|via)\s+)?(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|email)
            (?:\s*[|·•,/]\s*(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|email|print))*|
        (?:read|see|watch)\s+(?:more|also|next)\b.*|related(?:\s+(?:stories|articles|coverage|content))?:?.*|
        (?:click|tap)\s+here\b.*|subscribe\b.*|sign\s+up\b.*|log\s*in|sign\s+in|menu|home|search|
        (?:we|this\s+site)\s+use[s]?\s+cookies\b.*|.*\baccept\s+(?:all\s+)?cookies\b.*|cookie\s+(?:policy|settings).*|
        .*\ball\s+rights\s+reserved\b.*|(?:©|copyright\b).*|
        (?:photo|image|video|graphic|file\s+photo)\s*(?::|/|\bby\b|\bcredit\b).*|
        (?:getty\s+images|reuters|ap\s+photo|afp)(?:\s*/.*)?|
        by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}
            (?:\s*(?:,|\band\b|\|)\s*(?:[A-Z][\w.'’-]+\s*){1,4}
              |,\s*[\w ]{0,40}\b(?:writer|correspondent|reporter|editor|staff|contributor|bureau)s?\b.*)*|
        (?:updated|published|posted|last\s+updated)(?:\s+on)?:?\s+[^.]{0,40}\d.*|
        follow\s+(?:us|@\w+)\b.*|newsletter\b.*|.*\bnewsletter\s*$|
        (?:topics|tags|filed\s+under):.*|
        \d+\s+comments?|comments?\s*(?:\(\d+\))?|
        (?:next|previous)\s+(?:article|story|page)|back\s+to\s+top|
        (?:loading|please\s+wait)\W*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# A dateline or wire slug at the start of a sentence: "PARIS (AP) —", "WASHINGTON, May 3 (Reuters) -",
# "LONDON —", "(CNN) --", "(CNN) The", "Paris (AFP) -", "NEW DELHI:", "NEW YORK _", "Davos, Jan 23:".
# Group 0 is the whole prefix to skip.
_AGENCIES = (
    r"AP|AFP|Reuters|Xinhua|UPI|Bloomberg|CNN|CNNMoney|dpa|ANSA|EFE|PA|IANS|PTI|ANI|TASS|Sputnik|Anadolu|"
    r"Kyodo|Yonhap|BBC|NHK|WENN|KUNA|WAM|SPA|IRNA|Bernama|Belga|APA|AAP|CP|RIA Novosti|Interfax"
)
_MONTH_DAY = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s*\d{4})?"
)
_DATELINE = re.compile(
    r"""^(?:
        (?!(?:The|A|An)\s)(?:[A-Z][A-Za-z.'’/-]+(?:[ ,]+[A-Z][A-Za-z.'’/-]+)*,?\s*)?   # Place, Country
        (?:MONTH_DAY,?\s*)?                                        # January 20, 2016
        \((?:AGENCIES)\)\s*(?:—|–|--|-|_|:)?\s*                   # (CNN), with or without a dash
      |
        (?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+)*,?\s*)?      # PLACE, Country
        (?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?                        # May 3
        \((?:[A-Z]{2,6}|[A-Z][A-Za-z&.'’]+(?:\s[A-Z][A-Za-z&.'’]+){0,3})\)\s*   # (Meridian Wire)
        (?:—|–|--|-|_|:)\s*
      |
        [A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+)?,?\s*   # FORT WAYNE, Ind. (WANE)
        \([A-Z]{2,6}\)\s*
      |
        [A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+){0,2}\s+-\s+(?=[A-Z"“‘])   # ALLENTOWN, Pa. -
      |
        [A-Z][A-Z.'’-]{2,}(?:[ ,]+[A-Z][A-Za-z.'’-]*){0,3}\s*(?:(?:—|–|--|_)\s+|(?:—|–|--)(?=[A-Z"“‘]))  # LONDON —
      |
        [A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+)+\s*:\s+     # NEW DELHI: (one word alone may be a speaker)
      |
        [A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2},\s*                     # Davos, Jan 23:
        MONTH_DAY\s*(?:—|–|--|-|_|:)\s+
    )""".replace("MONTH_DAY", _MONTH_DAY).replace("AGENCIES", _AGENCIES),
    re.VERBOSE,
)
# A web archive's notice about its crawls, pasted where a scraper found no article ("These crawls are part of an
# effort to archive pages ...", "Starting in 1996, Alexa Internet has been donating their crawl data ..."): a line
# with one of these is the notice's, whatever else it says.
ARCHIVE_NOTICE = re.compile(
    r"\bthese crawls\b|\bcrawl data\b|\badded to the wayback machine\b|\bwarc files?\b|"
    r"\bthis crawl\b(?! space)|\bcrawl with (?:an )?initial seed ?list\b|\bcrawler (?:software|configuration)\b",
    re.IGNORECASE,
)
_MAX_FURNITURE_WORDS = 14
_NOTICE = re.compile(r"cookies?|all rights reserved|©|copyright|newsletter|subscribe", re.IGNORECASE)
# Bullets and rules before a sentence, and the buttons and labels of a page scraped onto the sentence after them: a
# video player's "CLOSE" ("CLOSE Bone-chilling cold gripped much of the U.S. …"), a gallery's "Skip in Skip x Embed x
# Share", "Buy Photo", "SHARE COPY LINK", "Updated |", an image's placeholder "Image" / "Photo" ("Photo ID laws …" is
# reporting: a name follows a placeholder).
_LEADING_JUNK = re.compile(
    r"^(?:(?:[_•·*|>#]+|(?:Skip in Skip x Embed x Share|Buy Photo|SHARE COPY LINK|Updated \|)(?=\s+[A-Z“\"])"
    r"|(?:CLOSE|Image|Photo)(?=\s+[A-Z][a-z]))\s*)+"
)


def is_furniture(line: str) -> bool:
    """True when a whole line is page furniture (ads, share buttons, bylines, cookie notices, captions).

    A fixed pattern catches the common chrome; the learned score of ``text/furniture.py`` the rest.
    """
    stripped = line.strip()
    if not stripped:
        return False
    if ARCHIVE_NOTICE.search(stripped):
        return True
    if not _FURNITURE_LINE.match(stripped):
        return looks_like_furniture(stripped)
    # A long line that ends like prose is reporting that happens to start like furniture
    # ("Related talks are expected ..."), unless it is a cookie or rights notice.
    if len(stripped.split()) > _MAX_FURNITURE_WORDS:
        return bool(_NOTICE.search(stripped))
    return True


def clean_body(text: str) -> str:
    """Return ``text`` without furniture lines, with normalised line endings and no control characters.

    Kept lines are kept verbatim, so any sentence of the result can be found in the original.
    """
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").replace("\f", "\n"))
    kept = [line.rstrip() for line in text.split("\n") if not is_furniture(line)]
    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip()


def strip_controls(text: str) -> str:
    """``text`` without C0 control characters but tab and newline, and without DEL (NUL, escapes, bells)."""
    return _CONTROLS.sub("", text)


def content_start(sentence: str) -> int:
    """Offset where the reporting in ``sentence`` begins, past a dateline or wire slug."""
    offset = 0
    match = _DATELINE.match(sentence)
    if match:
        offset = match.end()
    junk = _LEADING_JUNK.match(sentence, offset)
    if junk:
        offset = junk.end()
    return offset
