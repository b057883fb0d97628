"""Names of one entity: normalising, acronyms, spelling variants and alias tables."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newsroundup.errors import InputError
from newsroundup.model import EntityKind

_KINDS: frozenset[str] = frozenset({"person", "organization", "place", "group"})

# Well-known alias sets no text spells out. Each entry: canonical name, kind, other names.
_BUILTIN: tuple[tuple[str, EntityKind, tuple[str, ...]], ...] = (
    (
        "Islamic State",
        "group",
        (
            "IS",
            "ISIS",
            "ISIL",
            "Daesh",
            "Islamic State of Iraq and the Levant",
            "Islamic State of Iraq and Syria",
            "Islamic State group",
        ),
    ),
    ("al-Qaeda", "group", ("al-Qaida", "al Qaeda", "al Qaida", "Al-Qaeda", "AQ")),
    ("Hezbollah", "group", ("Hizbollah", "Hizbullah", "Hezbolla")),
    ("Taliban", "group", ("the Taliban", "Taleban")),
    ("Boko Haram", "group", ()),
    ("al-Shabab", "group", ("al-Shabaab", "Shabab", "Shabaab", "Al-Shabaab")),
    ("United Nations", "organization", ("UN", "U.N.", "the U.N.", "the UN")),
    ("European Union", "organization", ("EU", "E.U.")),
    ("NATO", "organization", ("North Atlantic Treaty Organization", "Nato", "OTAN")),
    ("World Health Organization", "organization", ("WHO", "W.H.O.")),
    ("International Monetary Fund", "organization", ("IMF", "I.M.F.")),
    ("United States", "place", ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America")),
    ("United Kingdom", "place", ("UK", "U.K.", "Britain", "Great Britain")),
    ("Pentagon", "organization", ("Defense Department", "Department of Defense", "U.S. Defense Department")),
)

_PARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|an|at|az|ed|er|es)[-‐‑ ]", re.IGNORECASE)
_CORPORATE_SUFFIX = re.compile(
    r"[,\s]+(?:inc|corp|corporation|co|ltd|llc|plc|ag|sa|gmbh|nv|lp|llp|group|holdings)\.?$", re.IGNORECASE
)
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
# Transliteration variants that sound alike: applied to lower-case, accent-free names.
_SOUND_ALIKE = (
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("qu", "kv"),  # Holmquist / Holmqvist
    ("q", "k"),
    ("ck", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("w", "v"),
    ("j", "y"),
)

# A "c" that sounds as "k" (not before e, i, y or h): "Cavanagh" and "Kavanagh" are one name.
_HARD_C = re.compile(r"c(?![eiyh])")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` without accents, with curly apostrophes straightened and spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip().lower()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A key equal for two spellings of one name that differ only in case, accents, dots or hyphens."""
    key = fold(name)
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"'s$", "", key)
    key = _CORPORATE_SUFFIX.sub("", key)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", key.replace(".", ""))).strip()


def acronym(name: str) -> str:
    """Initials of the capitalised words of ``name``: "National Emergency Agency" → "NEA"."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words)


def is_acronym(text: str) -> bool:
    """True for "NEA", "U.N.", "ISIL": two to six capitals, optionally dotted."""
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,6}|[A-Z]{2,6}", text))


@lru_cache(maxsize=65536)
def _sound_key(token: str) -> str:
    """A rough phonetic spelling of one name token, for transliteration variants."""
    key = _PARTICLE.sub("", fold(token))
    key = re.sub(r"[^a-z]", "", key)
    key = _HARD_C.sub("k", key)  # Cavanagh / Kavanagh, Carim / Karim
    for src, dst in _SOUND_ALIKE:
        key = key.replace(src, dst)
    key = re.sub(r"(.)\1+", r"\1", key)  # Nasser / Naser
    return key


def _skeleton(key: str) -> str:
    """Consonants of a sound key: "mohamed" and "muhamad" both give "mhmd"."""
    return key[:1] + re.sub(r"[aeiouh]", "", key[1:])


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two short strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=65536)
def same_name_token(a: str, b: str) -> bool:
    """True when two name tokens are one name spelled differently (Mohammed/Muhammad, Qadiri/Kadiri).

    Guarded: the sound-alike spellings must share their first letter and consonant skeleton and
    differ by at most a fifth of their length, so "Omar" never matches "Samir" and "Marsh" never
    matches "Marsh-Dubois".
    """
    if fold(a) == fold(b):
        return True
    if _transposed(fold(a), fold(b)):
        return True
    ka, kb = _sound_key(a), _sound_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if ka[0] != kb[0]:
        return False
    if _one_swap(ka, kb):
        return True  # a typing slip: "Cornad" for "Conrad"
    if _skeleton(ka) != _skeleton(kb):
        return False
    return edit_distance(ka, kb) <= max(1, min(len(ka), len(kb)) // 5 + (min(len(ka), len(kb)) >= 6))


def _transposed(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with two adjacent letters swapped after the first two ("Drian"/"Drain")."""
    if len(a) != len(b) or len(a) < 5 or a[:2] != b[:2]:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


# Lower-case words that belong to a surname: "Le Drian", "de Blasio", "von der Leyen", "bin Salman".
SURNAME_PARTICLES = frozenset(
    "le la de du des del della di da dos das do van von der den ter ten bin ibn al el abu st".split()
)


def split_person_name(name: str) -> tuple[list[str], str]:
    """Given names and surname of a person's name without titles: ("Pavel", "Osterhaus"); particles
    stay with the surname: (["Jean-Yves"], "Le Drian"), (["Ursula"], "von der Leyen")."""
    tokens = name.split()
    if not tokens:
        return [], ""
    first = len(tokens) - 1
    while first > 1 and fold(tokens[first - 1]) in SURNAME_PARTICLES:
        first -= 1
    if first == 1 and len(tokens) > 1 and fold(tokens[0]) in SURNAME_PARTICLES:
        first = 0  # "Le Drian" alone: all surname
    return tokens[:first], " ".join(tokens[first:])


def surname_core(surname: str) -> str:
    """A surname without its particles: "Le Drian" -> "Drian", "von der Leyen" -> "Leyen"."""
    words = [w for w in surname.split() if fold(w) not in SURNAME_PARTICLES]
    return " ".join(words) if words else surname


def same_surname(a: str, b: str) -> bool:
    """True when two surnames (particles ignored, spelling variants allowed) are one: "Le Drian" ~
    "Drian" ~ "Le Drain"."""
    wa, wb = surname_core(a).split(), surname_core(b).split()
    return len(wa) == len(wb) and all(same_name_token(x, y) for x, y in zip(wa, wb, strict=True))


def _one_swap(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with two neighbouring letters swapped (names of five letters or more)."""
    if len(a) != len(b) or len(a) < 5:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Each given name's full forms and nicknames from the ``nicknames`` package's curated table."""
    from nicknames import name_triplets

    table: dict[str, set[str]] = {}
    for triplet in name_triplets():
        if triplet.relationship != "has_nickname":
            continue
        table.setdefault(triplet.name1, set()).add(triplet.name2)
        table.setdefault(triplet.name2, set()).add(triplet.name1)
    return {name: frozenset(others) for name, others in table.items()}


@lru_cache(maxsize=65536)
def same_given_name(a: str, b: str) -> bool:
    """True when two given names can name one person: spelling variants, nicknames (Bill/William,
    Mike/Michael, from a curated table) or a clipped form of at least three letters (Ash/Ashton).
    """
    if same_name_token(a, b):
        return True
    fa, fb = fold(a).rstrip("."), fold(b).rstrip(".")
    if not fa.isalpha() or not fb.isalpha():
        return False
    short, long_ = sorted((fa, fb), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return fb in _nicknames().get(fa, frozenset())


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """True when every given name of the shorter list matches one of the longer (initials allowed)."""
    if not a or not b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    for token in short:
        bare = token.rstrip(".")
        if len(bare) == 1:
            if not any(other[:1].lower() == bare.lower() for other in long_):
                return False
        elif not any(same_given_name(token, other) for other in long_):
            return False
    return True


@lru_cache(maxsize=65536)
def same_person(a: str, b: str) -> bool:
    """True when two full names (titles removed) plausibly name one person.

    Surnames must be the same name (spelling variants allowed); given names, when both names have
    them, must be compatible: "Nasser el-Qadiri" ~ "Mohammed Nasser al-Qadiri", but different
    first names with one surname ("Teodora Marsh", "Daniel Marsh") never match.
    """
    if name_key(a) == name_key(b) != "":
        return True  # one name, punctuation aside: "Kim Jong-Un", "Kim Jong Un"
    given_a, core_a = _person_parts(a)
    given_b, core_b = _person_parts(b)
    if not core_a or not core_b or len(core_a) != len(core_b):
        return False
    if not all(same_name_token(x, y) for x, y in zip(core_a, core_b, strict=True)):
        return False
    return _given_compatible(list(given_a), list(given_b))


@lru_cache(maxsize=65536)
def _person_parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A person's given names and the words of their surname's core (as ``same_surname`` compares them), split
    once per name: a story of thousands of articles compares each name with hundreds of others."""
    given, surname = split_person_name(name)
    return tuple(given), tuple(surname_core(surname).split()) if surname else ()


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One alias set: a canonical name, its kind and the other names it goes by."""

    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Alias sets looked up by any of their names; user entries take precedence over built-in ones."""

    entries: tuple[AliasEntry, ...] = ()
    user: frozenset[str] = field(default_factory=frozenset)

    def lookup(self, name: str) -> AliasEntry | None:
        """Return the alias set ``name`` belongs to, if any."""
        return _index(self).get(name_key(name))

    def names(self) -> list[tuple[str, EntityKind]]:
        """Every name of every alias set, with the set's kind."""
        return [(n, e.kind) for e in self.entries for n in (e.name, *e.aliases)]

    def is_user_entry(self, entry: AliasEntry) -> bool:
        """True when ``entry`` comes from the user's alias file (and so overrides every other rule)."""
        return entry.name in self.user

    def with_user_entries(self, entries: tuple[AliasEntry, ...]) -> AliasTable:
        """A table where ``entries`` come first and take over any name they list from older entries."""
        taken = {name_key(n) for e in entries for n in (e.name, *e.aliases)}
        kept = []
        for entry in self.entries:
            names = [n for n in (entry.name, *entry.aliases) if name_key(n) not in taken]
            if names:
                kept.append(AliasEntry(names[0], entry.kind, tuple(names[1:])))
        return AliasTable((*entries, *kept), self.user | {e.name for e in entries})


@lru_cache(maxsize=8)
def _index(table: AliasTable) -> dict[str, AliasEntry]:
    """Every name of ``table``, keyed by ``name_key``, mapped to its alias set (first entry wins)."""
    index: dict[str, AliasEntry] = {}
    for entry in table.entries:
        for name in (entry.name, *entry.aliases):
            index.setdefault(name_key(name), entry)
    return index


BUILTIN_ALIASES = AliasTable(tuple(AliasEntry(name, kind, aliases) for name, kind, aliases in _BUILTIN))


def alias_table(path: str | Path | None) -> AliasTable:
    """The built-in alias sets, with the user's alias file at ``path`` on top when one is set (``Settings.aliases``)."""
    return load_alias_file(path) if path else BUILTIN_ALIASES


def load_alias_file(path: str | Path, base: AliasTable = BUILTIN_ALIASES) -> AliasTable:
    """Read a user alias file (TOML) on top of ``base``; its entries override every other rule.

    Format: one ``[[entity]]`` table per entity with ``name``, optional ``kind`` (person,
    organization, place, group; default organization) and ``aliases`` (a list of strings).
    """
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{file}: cannot read the alias file ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: not a valid TOML alias file ({exc})") from exc
    tables = data.get("entity", [])
    if not isinstance(tables, list) or not tables:
        raise InputError(f'{file}: no [[entity]] tables; write e.g. [[entity]] name = "..." aliases = [...]')
    entries = tuple(_entry_from_table(file, i, table) for i, table in enumerate(tables, 1))
    return base.with_user_entries(entries)


def _entry_from_table(file: Path, index: int, table: object) -> AliasEntry:
    """Check and convert one ``[[entity]]`` table of a user alias file."""
    where = f"{file}: [[entity]] number {index}"
    if not isinstance(table, dict):
        raise InputError(f"{where} is not a table")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f'{where} has no name; add name = "..."')
    kind = table.get("kind", "organization")
    if kind not in _KINDS:
        raise InputError(f"{where} ({name}): kind must be one of {', '.join(sorted(_KINDS))}, not {kind!r}")
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(f"{where} ({name}): aliases must be a list of non-empty strings")
    return AliasEntry(name.strip(), kind, tuple(a.strip() for a in aliases))
