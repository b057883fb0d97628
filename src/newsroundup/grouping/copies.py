"""Syndicated copies and near-duplicates: MinHash LSH over word shingles, linked to the earliest copy."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np

from newsroundup.model import Article

NUM_PERM = 128
SHINGLE_WORDS = 3
SEED = 7
# A copy shares at least this share of its shingles with the original (estimated Jaccard) ...
MIN_JACCARD = 0.45
# ... or is mostly contained in it (a trimmed wire copy, an excerpt with a new intro).
MIN_CONTAINMENT = 0.8
# LSH recall matters more than precision: candidates are verified against the thresholds above.
LSH_THRESHOLD = 0.3

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Signature:
    """The MinHash of an article's word shingles and how many distinct shingles it had."""

    hashvalues: np.ndarray[Any, np.dtype[np.uint32]]
    shingles: int

    def to_bytes(self) -> bytes:
        """The hash values as bytes, for the store."""
        return self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        """A signature read back from the store."""
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), shingles)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Distinct ``size``-word shingles of ``text``, case-folded, punctuation ignored."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature_of(text: str) -> Signature:
    """The MinHash signature of ``text``.

    Each shingle is hashed as datasketch's default ``sha1_hash32`` does (the first four bytes of its
    SHA-1, little-endian), all in one buffer instead of a call per shingle, so signatures stored by
    earlier versions stay comparable.
    """
    grams = shingles(text)
    minhash = _minhash(hashfunc=int)
    if grams:
        hashed = np.frombuffer(b"".join(hashlib.sha1(g).digest()[:4] for g in grams), dtype="<u4")
        minhash.update_batch(hashed.tolist())
    return Signature(minhash.hashvalues.astype(np.uint32), len(grams))


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two articles' shingle sets."""
    if not a.shingles or not b.shingles:
        return 0.0
    return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / len(a.hashvalues)


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller article's shingles that are also in the other one."""
    similarity = jaccard(a, b)
    if not similarity:
        return 0.0
    shared = similarity * (a.shingles + b.shingles) / (1.0 + similarity)
    return min(1.0, shared / min(a.shingles, b.shingles))


def is_copy(a: Signature, b: Signature) -> bool:
    """True when one article is a copy or light rewrite of the other."""
    return jaccard(a, b) >= MIN_JACCARD or containment(a, b) >= MIN_CONTAINMENT


# Members of one group of copies that are put in the LSH index. A new article that copies the group
# copies its first members too; indexing them all made every query return the whole group, so
# near-identical items cost quadratic time (10,000 items: minutes).
LSH_MEMBERS_PER_GROUP = 8


@functools.cache
def lsh_shape() -> tuple[int, int]:
    """Bands and rows per band of the copy index: datasketch's choice for the copy threshold, made once.

    datasketch finds them by numerical integration (~0.2 s), which every ``add`` and ``run`` paid again.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


def new_lsh() -> Any:
    """An empty copy index (datasketch ``MinHashLSH``) of the shape :func:`lsh_shape` gives."""
    from datasketch import MinHashLSH

    return MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, params=lsh_shape())


class SyndicationIndex:
    """Articles seen so far, grouped into copies of one original (the earliest of each group)."""

    def __init__(self) -> None:
        self._lsh = new_lsh()
        self._signatures: dict[str, Signature] = {}
        self._order: dict[str, tuple[datetime | None, int]] = {}
        self._original: dict[str, str] = {}  # article -> earliest article of its group
        self._members: dict[str, set[str]] = {}  # original -> every article of its group
        self._indexed: dict[str, int] = {}  # original -> members of its group in the LSH

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def load(
        self, article_id: str, signature: Signature, when: datetime | None, original: str | None
    ) -> None:
        """Index a stored article with the link it already has (no matching is done)."""
        if article_id in self._signatures:
            return
        root = original if original in self._members or original in self._signatures else article_id
        self._insert(article_id, signature, when, root)
        self._original[article_id] = root
        self._members.setdefault(root, set()).add(article_id)

    def link(self, article_id: str, signature: Signature, when: datetime | None) -> dict[str, str | None]:
        """Index a new article and return the ``syndicated_from`` values that change.

        The new article always appears in the result (None: it copies nothing). When it is
        earlier than the original of the group it joins, it becomes the original, and every
        other member of the group appears re-pointed to it.
        """
        if article_id in self._signatures:
            return {}
        candidates = self._lsh.query(_minhash(signature.hashvalues)) if signature.shingles else []
        groups: set[str] = set()
        for c in sorted(candidates):
            group = self._original[c]
            if group not in groups and is_copy(signature, self._signatures[c]):
                groups.add(group)
        self._remember(article_id, signature, when)
        # The largest group absorbs the others in place, so joining a big group costs O(1), not O(size).
        largest = max(groups, key=lambda g: (len(self._members[g]), g), default=None)
        members = self._members.pop(largest) if largest is not None else set()
        moved = {article_id}.union(*(self._members.pop(g) for g in groups if g != largest))
        members |= moved
        earliest = min(groups | {article_id}, key=lambda a: self._sort_key(a))
        indexed = sum(self._indexed.pop(g, 0) for g in groups)
        self._indexed[earliest] = indexed
        self._insert(article_id, signature, when, earliest)
        changes: dict[str, str | None] = {}
        # Members of the largest group keep their original unless a new, earlier one takes over.
        for member in sorted(moved if earliest == largest else members):
            before = self._original.get(member, member)
            if member == article_id or before != earliest:
                changes[member] = None if member == earliest else earliest
            self._original[member] = earliest
        self._members[earliest] = members
        return changes

    def original_of(self, article_id: str) -> str | None:
        """The original an indexed article copies, or None when it is an original."""
        root = self._original.get(article_id, article_id)
        return None if root == article_id else root

    def _remember(self, article_id: str, signature: Signature, when: datetime | None) -> None:
        """Remember the signature and the ordering of an article."""
        self._signatures[article_id] = signature
        self._order[article_id] = (when, len(self._order))

    def _insert(self, article_id: str, signature: Signature, when: datetime | None, root: str) -> None:
        """Remember the article; add it to the LSH while ``root``'s group has few members there."""
        if article_id not in self._order:
            self._remember(article_id, signature, when)
        if signature.shingles and self._indexed.get(root, 0) < LSH_MEMBERS_PER_GROUP:
            self._lsh.insert(article_id, _minhash(signature.hashvalues))
            self._indexed[root] = self._indexed.get(root, 0) + 1

    def _sort_key(self, article_id: str) -> tuple[int, float, int]:
        """Earliest first: dated before undated, then by date, then by arrival."""
        when, arrival = self._order[article_id]
        return (0, when.timestamp(), arrival) if when else (1, 0.0, arrival)


def _minhash(hashvalues: np.ndarray[Any, np.dtype[np.uint32]] | None = None, hashfunc: Any = None) -> Any:
    """A datasketch MinHash with our fixed seed (and given hash values, if any).

    The permutations are drawn once per process: datasketch draws them again for every MinHash it makes,
    which cost more than hashing an article's shingles (two MinHashes are made per stored article).
    """
    from datasketch import MinHash

    return MinHash(
        num_perm=NUM_PERM, seed=SEED, hashvalues=hashvalues, scheme="affine32", permutations=_permutations(),
        hashfunc=hashfunc,
    )


@lru_cache(maxsize=1)
def _permutations() -> Any:
    """The permutations every MinHash of ours uses (those of our seed)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def mark_copies(articles: Sequence[Article]) -> list[Article]:
    """The articles with ``syndicated_from`` set on each copy of another article among them.

    Links already present are kept; the earliest article of each group of copies is the original.
    """
    index = SyndicationIndex()
    links: dict[str, str | None] = {}
    for article in articles:
        links.update(index.link(article.id, signature_of(article.text), article.published))
    return [
        a if a.syndicated_from or not links.get(a.id) else replace(a, syndicated_from=links[a.id])
        for a in articles
    ]
