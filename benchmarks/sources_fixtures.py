"""Invented, seeded fixtures for bench_sources: realistic article pages and a syndication corpus."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# -- invented events -------------------------------------------------------------------------------

PLACES = [
    "Velmora",
    "Dunmere",
    "Eskerholt",
    "Marrowby",
    "Pellham",
    "Quayside",
    "Brannock",
    "Halvik",
    "Tarnbridge",
    "Osterfell",
    "Caldry",
    "Fenwold",
    "Greyhaven",
    "Lindmoor",
    "Ravensk",
    "Stillwater",
    "Thornby",
    "Ulverdal",
    "Westmarch",
    "Yarrowfield",
]
PEOPLE = [
    "Edda Solberg",
    "Piet Ravn",
    "Ilse Varga",
    "Tove Lindqvist",
    "Oren Maddox",
    "Priya Castell",
    "Jonas Ferreira",
    "Mira Okafor",
    "Lukas Brenner",
    "Sana Idris",
    "Teodor Kral",
    "Noor Haddad",
    "Ada Mensah",
    "Felix Arndt",
    "Rosa Quintero",
    "Viktor Halme",
    "Leila Farouk",
    "Bram de Wit",
]
ROLES = [
    "mayor",
    "fire chief",
    "harbour master",
    "head teacher",
    "council leader",
    "police spokeswoman",
    "hospital director",
    "union organiser",
    "river warden",
    "transport minister",
]
ORGS = [
    "the regional council",
    "the coastal authority",
    "the rail operator",
    "the water board",
    "the health trust",
    "the ferry company",
    "the mountain service",
    "the port authority",
]
EVENTS = [
    ("a fire at the grain warehouse", "fire"),
    ("flooding along the river quay", "flooding"),
    ("a strike by tram drivers", "strike"),
    ("a landslide on the coast road", "landslide"),
    ("the collapse of a footbridge", "collapse"),
    ("a power cut across the old town", "power cut"),
    ("a chemical spill at the dye works", "spill"),
    ("an avalanche on the north trail", "avalanche"),
    ("a ferry running aground", "grounding"),
    ("a water main bursting under the market", "burst main"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUOTES = [
    "We will not rest until every family has a safe place to sleep tonight",
    "Nobody could have predicted how quickly the situation would change",
    "The people of this town have shown extraordinary courage and patience",
    "We are asking everyone to stay away from the area until the engineers are finished",
    "Lessons will be learned and the report will be published in full",
    "Our crews worked through the night and they deserve the thanks of the whole region",
]


@dataclass(frozen=True)
class Event:
    """The shared facts of one invented news event."""

    place: str
    person: str
    role: str
    org: str
    what: str
    short: str
    day: str
    number: int
    number2: int
    quote: str


# A small grammar with a large vocabulary: every article gets its own wording, as real ones do,
# while the reports of one event share its facts (place, people, numbers, the quote).
ADJ = """old northern quiet busy narrow wooden flooded empty crowded damaged temporary local regional
cautious angry patient exhausted frightened relieved worried stubborn careful experienced young elderly
stone muddy frozen dusty broken fragile heavy sudden early late hidden public private bright dark
costly urgent unusual familiar remote coastal inland upper lower western eastern southern central""".split()
NOUN = """bridge quay market station school harbour warehouse church square road tunnel pier clinic library
depot factory office hall garden bakery hotel ferry tram lorry crane pump barrier generator ladder
volunteer neighbour driver nurse engineer firefighter shopkeeper farmer student teacher fisherman
pensioner councillor inspector surveyor chemist baker porter guard pilot mechanic cleaner caretaker
report warning plan budget schedule inquiry survey meeting petition contract permit statement
family child visitor resident worker crew team committee union board agency company""".split()
VERB = """inspected repaired closed opened checked cleared blocked moved carried lifted rebuilt measured
visited guarded emptied drained secured replaced painted counted questioned praised criticised
photographed reported described ignored delayed approved rejected funded promised questioned""".split()
ADV = """quickly slowly carefully quietly briefly reluctantly openly repeatedly already nearly again
finally partly suddenly gradually""".split()
WHEN = [
    "before dawn",
    "late in the evening",
    "during the night",
    "over the weekend",
    "on the first morning",
    "within an hour",
    "by the afternoon",
    "after a long delay",
    "for most of the day",
    "at first light",
    "shortly before noon",
    "while the rain continued",
    "as the tide came in",
    "under floodlights",
]
SHAPES = [
    "The {a} {n} near the {a} {n} was {v} {w}, and a {n} said the {n} had been {v} {d}.",
    "{W_}, {n}s {v} the {a} {n} beside the {n}, while a {a} {n} {v} the {n}.",
    "According to one {n}, the {a} {n} had {d} been {v} {w} by a {a} {n}.",
    "A {a} {n} who lives by the {n} said the {n} was {v} and the {a} {n} {v} {w}.",
    "Several {n}s {v} the {a} {n} {w}, but the {n} was {d} {v} by the {n}.",
    "In {place}, the {a} {n} and the {a} {n} were {v} {w} as {n}s waited outside.",
    "{person} said the {n} had {v} the {a} {n} {w} and that the {n} would be {v}.",
    "The {n} from the {a} {n} {v} the {n} {d}, and the {a} {n} {v} a {n}.",
    "Nobody at the {a} {n} {v} the {n} {w}, a {a} {n} told the {n}.",
    "By then the {a} {n} was {v}, the {n} was {v} and the {a} {n} had {d} {v} the {n}.",
]
# Meaning-preserving substitutions an editor might make in a light rewrite.
SUBSTITUTES = (
    {w: ADJ[(i + 7) % len(ADJ)] for i, w in enumerate(ADJ)}
    | {w: VERB[(i + 5) % len(VERB)] for i, w in enumerate(VERB)}
    | {w: ADV[(i + 3) % len(ADV)] for i, w in enumerate(ADV)}
)


def make_event(rng: random.Random) -> Event:
    """A random invented event."""
    what, short = rng.choice(EVENTS)
    return Event(
        place=rng.choice(PLACES),
        person=rng.choice(PEOPLE),
        role=rng.choice(ROLES),
        org=rng.choice(ORGS),
        what=what,
        short=short,
        day=rng.choice(DAYS),
        number=rng.randint(12, 900),
        number2=rng.randint(3, 40),
        quote=rng.choice(QUOTES),
    )


def report(event: Event, bank: int, rng: random.Random, sentences: int = 9) -> str:
    """One outlet's independent report of ``event``: its own wording around the event's facts.

    ``bank`` (which outlet) picks how the facts are introduced; the rest is drawn afresh.
    """
    e = event
    phrasings = [
        [
            f"{e.what.capitalize()} in {e.place} on {e.day} left {e.number} people in need of help, "
            f"{e.org} said.",
            f'{e.person}, the {e.role}, said: "{e.quote}."',
            f"Repairs are expected to take about {e.number2} days.",
        ],
        [
            f"Some {e.number} residents of {e.place} needed assistance after {e.what} on {e.day}.",
            f'"{e.quote}," {e.role} {e.person} told journalists.',
            f"Officials think it could be {e.number2} days before things are back to normal.",
        ],
        [
            f"{e.org.capitalize()} counted {e.number} people affected by {e.what} in {e.place}.",
            f'Speaking on {e.day}, {e.person} ({e.role}) said: "{e.quote}."',
            f"The work is likely to last {e.number2} days, engineers estimated.",
        ],
        [
            f"On {e.day}, {e.what} in {e.place} forced {e.number} people to seek shelter.",
            f'"{e.quote}," said {e.person}, who is {e.role}.',
            f"A return to normal is not expected for {e.number2} days.",
        ],
    ]
    facts = phrasings[bank % len(phrasings)]
    order = [facts[bank % 3], facts[(bank + 1) % 3], facts[(bank + 2) % 3]]
    lines = [order[0]] + [_sentence(event, rng) for _ in range(sentences - 3)]
    lines.insert(2, order[1])
    lines.insert(len(lines) - 1, order[2])
    return _paragraphs(" ".join(lines), rng)


def _sentence(event: Event, rng: random.Random) -> str:
    """One invented sentence in the event's setting."""
    shape = rng.choice(SHAPES)
    out = []
    for part in re.split(r"(\{[A-Za-z_]+\})", shape):
        slot = {
            "{a}": lambda: rng.choice(ADJ),
            "{n}": lambda: rng.choice(NOUN),
            "{v}": lambda: rng.choice(VERB),
            "{d}": lambda: rng.choice(ADV),
            "{w}": lambda: rng.choice(WHEN),
            "{W_}": lambda: rng.choice(WHEN).capitalize(),
            "{place}": lambda: event.place,
            "{person}": lambda: event.person,
        }.get(part)
        out.append(slot() if slot else part)
    return "".join(out)


def light_rewrite(text: str, rng: random.Random, share: float = 0.08) -> str:
    """An editor's light rewrite: about ``share`` of the words swapped, one sentence dropped, a new line."""
    sentences = re.split(r"(?<=[.!?\"])\s+", text.replace("\n", " "))
    if len(sentences) > 5:
        sentences.pop(rng.randrange(3, len(sentences)))
    words = " ".join(sentences).split(" ")
    chance = min(1.0, share * len(words) / max(1, sum(w in SUBSTITUTES for w in words)))
    swapped = [SUBSTITUTES[w] if w in SUBSTITUTES and rng.random() < chance else w for w in words]
    closing = rng.choice(["This story has been updated.", "Additional reporting by our regional desk."])
    return _paragraphs(" ".join(swapped) + " " + closing, rng)


def wire_copy(text: str, event: Event, wire: str) -> str:
    """A verbatim wire copy with a dateline and a credit line."""
    return f"{event.place.upper()} ({wire}) — {text}\n\nDistributed by {wire}."


def _paragraphs(text: str, rng: random.Random) -> str:
    """Group sentences into paragraphs of two or three."""
    sentences = re.split(r"(?<=[.!?\"])\s+", text)
    out, i = [], 0
    while i < len(sentences):
        n = rng.choice((2, 3))
        out.append(" ".join(sentences[i : i + n]))
        i += n
    return "\n".join(out)


# -- syndication corpus ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusArticle:
    """An article of the syndication corpus and, for planted copies, what it copies."""

    id: str
    outlet: str
    day: int
    text: str
    copy_of: str | None
    kind: str  # original, wire, rewrite, retitled


def syndication_corpus(
    seed: int = 2026, events: int = 40, reports: int = 4, copies: int = 40
) -> list[CorpusArticle]:
    """``events * reports`` independent reports plus ``copies`` planted copies, shuffled."""
    rng = random.Random(seed)
    originals: list[tuple[CorpusArticle, Event]] = []
    for e in range(events):
        event = make_event(rng)
        for bank in range(reports):
            text = report(event, bank, rng)
            originals.append(
                (CorpusArticle(f"e{e}-r{bank}", f"Outlet {bank}", e + bank, text, None, "original"), event)
            )
    planted = []
    for c, (source, event) in enumerate(rng.sample(originals, copies)):
        kind = ("wire", "rewrite", "retitled")[c % 3]
        if kind == "wire":
            text = wire_copy(source.text, event, "Northern Wire")
        elif kind == "rewrite":
            text = light_rewrite(source.text, rng)
        else:
            text = source.text + "\n\nRead more regional news on our website."
        planted.append(
            CorpusArticle(f"copy{c}-{kind}", f"Reprinter {c % 9}", source.day + 1, text, source.id, kind)
        )
    corpus = [a for a, _ in originals] + planted
    rng.shuffle(corpus)
    return corpus


# -- article pages ---------------------------------------------------------------------------------

NAV = " ".join(
    f'<li><a href="/section/{w.lower()}">{w}</a></li>'
    for w in (
        "News",
        "World",
        "Business",
        "Politics",
        "Sport",
        "Culture",
        "Opinion",
        "Weather",
        "Travel",
        "Science",
        "Health",
        "Education",
        "Property",
        "Jobs",
        "Puzzles",
        "Podcasts",
        "Video",
        "Newsletters",
        "Obituaries",
    )
)
SCRIPT = (
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('js',new Date());gtag('config','G-INVENTED1');" + "var x" + "=1;" * 400 + "</script>"
)
STYLE = (
    "<style>"
    + "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:03x}}}" for i in range(300))
    + "</style>"
)


def _related(rng: random.Random) -> str:
    titles = [
        "Council approves new cycle lanes after long debate",
        "Ferry timetable to change from next month",
        "Local bakery wins national bread award",
        "Fishing quotas cut again, says minister",
        "Museum reopens after three-year renovation",
        "Schools prepare for record enrolment",
        "Storm warning issued for the coast",
        "Tram strike talks to resume on Friday",
    ]
    return "".join(
        f'<li><a href="/story/{rng.randint(1000, 9999)}">{t}</a></li>' for t in rng.sample(titles, 5)
    )


def _comments(rng: random.Random) -> str:
    people = ["harbourwatcher", "Gerda_K", "oldtownresident", "M. Pryce", "tired_commuter"]
    notes = [
        "This has been coming for years and nobody on the council listened to the people who live here.",
        "My thoughts are with everyone affected, and thanks to the crews who worked all night long.",
        "Why does it always take a disaster before anyone spends money on maintenance in this town?",
        "Does anyone know if the number 4 bus is still running to the station this evening?",
    ]
    return "".join(
        f'<div class="comment"><span class="user">{rng.choice(people)}</span><p>{rng.choice(notes)}</p>'
        f'<a href="#">Reply</a> <a href="#">Report</a></div>'
        for _ in range(rng.randint(3, 6))
    )


def _body(paragraphs: list[str], rng: random.Random, ads: bool) -> str:
    out = []
    for i, para in enumerate(paragraphs):
        out.append(f"<p>{para}</p>")
        if ads and i in (1, 3):
            out.append('<div class="ad-slot" data-ad="mpu"><span>Advertisement</span></div>')
        if i == 2:
            out.append(
                f'<p class="read-more"><strong>Read more:</strong> <a href="/story/{rng.randint(1, 999)}">'
                "Ferry timetable to change from next month</a></p>"
            )
        if i == 1:  # in-article boxes, as CMSs insert them between paragraphs
            out.append(f'<div class="inline-related"><h3>Related coverage</h3><ul>{_related(rng)}</ul></div>')
            out.append(
                '<figure class="inline"><img src="/i/2.jpg" alt=""><figcaption>Crews at work on the site '
                "earlier this week. Photograph: Herald staff</figcaption></figure>"
            )
        if i == 4:
            out.append(
                '<div class="promo"><p>Get our free morning briefing in your inbox every weekday. '
                '<a href="/signup">Sign up here</a></p></div>'
            )
    return "\n".join(out)


def page(layout: int, title: str, author: str, date: str, paragraphs: list[str], rng: random.Random) -> str:
    """A saved article page in one of six site layouts, with the usual furniture around the body."""
    head = (
        f'<head><meta charset="utf-8"><title>{title} | The Invented Herald</title>'
        f'<meta property="og:site_name" content="The Invented Herald">'
        f'<meta name="author" content="{author}"><meta property="article:published_time" content="{date}">'
        f"{STYLE}{SCRIPT}</head>"
    )
    cookie = (
        '<div id="cookie-consent"><p>We use cookies to personalise content and ads and to analyse our '
        "traffic. By continuing you agree to our use of cookies.</p><button>Accept all</button>"
        "<button>Manage settings</button></div>"
    )
    nav = f'<header><a class="logo" href="/">The Invented Herald</a><nav><ul>{NAV}</ul></nav></header>'
    footer = (
        '<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
        '<li><a href="/privacy">Privacy</a></li></ul><p>© 2026 The Invented Herald. All rights reserved.</p>'
        "</footer>"
    )
    related = f'<aside class="related"><h2>Related stories</h2><ul>{_related(rng)}</ul></aside>'
    newsletter = (
        '<div class="newsletter"><h3>Get the morning briefing</h3><p>Sign up for our free daily '
        'newsletter.</p><input type="email"><button>Subscribe</button></div>'
    )
    share = (
        '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> '
        '<a href="#">Email</a></div>'
    )
    byline = f'<p class="byline">By {author}</p><time datetime="{date}">{date[:10]}</time>'
    body = _body(paragraphs, rng, ads=layout != 5)
    comments = f'<section id="comments"><h2>Comments</h2>{_comments(rng)}</section>'
    if layout == 0:  # modern CMS: semantic article element
        main = f"<main><article><h1>{title}</h1>{byline}{share}{body}</article>{related}{comments}</main>"
    elif layout == 1:  # div soup with class names
        main = (
            f'<div id="wrap"><div class="col-main"><div class="headline"><h1>{title}</h1></div>{byline}'
            f'<div class="story-body">{body}</div>{share}</div><div class="col-side">{newsletter}'
            f'<div class="most-read"><h2>Most read</h2><ol>{_related(rng)}</ol></div></div></div>{comments}'
        )
    elif layout == 2:  # figure, caption, tags, author box
        main = (
            f'<main><article><header><h1>{title}</h1>{byline}</header><figure><img src="/i/1.jpg" alt="">'
            f"<figcaption>The scene on the morning after. Photo: Herald staff</figcaption></figure>"
            f'<div class="article-content">{body}</div><div class="tags">Tags: <a href="/t/1">local</a> '
            f'<a href="/t/2">emergency</a></div><div class="author-bio"><p>{author} covers the region '
            f"for the Herald.</p></div></article>{related}</main>"
        )
    elif layout == 3:  # breaking-news ticker and live-update chrome
        main = (
            f'<div class="ticker">Breaking: markets close higher · Weather warning for the coast · '
            f'Tram strike talks resume</div><main><h1>{title}</h1>{byline}<section class="content">'
            f"{body}</section>{newsletter}{related}</main>"
        )
    elif layout == 4:  # old table layout
        main = (
            f'<table width="100%"><tr><td class="left" width="20%"><ul>{NAV}</ul></td><td class="center">'
            f'<h1>{title}</h1>{byline}<div class="text">{body}</div></td><td class="right">{related}'
            f"</td></tr></table>"
        )
    else:  # long comment thread, no ads
        main = (
            f'<article><h1>{title}</h1>{byline}<div class="entry">{body}</div></article>{comments}{comments}'
        )
    return f'<!DOCTYPE html><html lang="en">{head}<body>{cookie}{nav}{main}{footer}</body></html>'


def article_pages(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` saved pages with the body text each one really carries: (html, known body)."""
    rng = random.Random(seed)
    pages = []
    for n in range(count):
        event = make_event(rng)
        text = report(event, n % 4, rng, sentences=rng.randint(7, 10))
        paragraphs = text.split("\n")
        title = f"{event.short.capitalize()} in {event.place}: {event.number} people affected"
        date = f"2026-03-{1 + n % 28:02d}T{8 + n % 10:02d}:15:00Z"
        html = page(n % 6, title, rng.choice(PEOPLE), date, paragraphs, rng)
        pages.append((html, "\n".join(paragraphs)))
    return pages
