"""Who a speech verb attributes speech to: its subject resolved to a named speaker or a described source."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import fold
from newsroundup.annotate.mentions import ArticleEntity
from newsroundup.annotate.references import Referent, Salience, noun_phrase
from newsroundup.model import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["SPEECH_VERBS", "Attribution", "speaker_of", "speaker_span", "subject_of"]

# Verbs that attribute speech or writing ("said", "told", "called ... 'x'", "according to").
SPEECH_VERBS = frozenset(
    """
    say says said saying tell tells told add adds added ask asks asked write writes wrote
    warn warns warned insist insists insisted note notes noted explain explains explained argue argues
    argued claim claims claimed state states stated declare declares declared announce announces
    announced reply replies replied respond responds responded recall recalls recalled acknowledge
    acknowledges acknowledged admit admits admitted concede concedes conceded continue continues
    continued promise promises promised vow vows vowed urge urges urged call calls called describe
    describes described deny denies denied criticize criticizes criticized criticise criticises
    criticised dismiss dismisses dismissed accuse accuses accused praise praises praised complain
    complains complained tweet tweets tweeted post posts posted shout shouts shouted whisper
    whispered predict predicts predicted confirm confirms confirmed stress stresses stressed
    emphasize emphasizes emphasized emphasise emphasised reiterate reiterates reiterated counter
    counters countered suggest suggests suggested observe observes observed testify testifies
    testified recount recounts recounted according yell yells yelled chant chants chanted scream screams
    screamed exclaim exclaims exclaimed joke jokes joked conclude concludes concluded quip quips quipped
    telling adding asking writing warning insisting noting explaining arguing claiming stating declaring
    announcing replying responding recalling acknowledging admitting conceding promising vowing urging
    calling describing denying criticizing criticising dismissing accusing praising complaining tweeting
    shouting whispering predicting confirming stressing emphasizing emphasising reiterating countering
    suggesting observing testifying recounting yelling chanting screaming exclaiming joking concluding
    quipping read reads boom booms boomed muse muses mused snap snaps snapped retort retorts retorted
    scoff scoffs scoffed lament laments lamented plead pleads pleaded remark remarks remarked mock mocks
    mocked brag brags bragged boast boasts boasted fume fumes fumed wonder wonders wondered
    """.split()
)
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it"})
# A cue noun's possessor speaks as its subject pronoun would: "his claim" is what he claims.
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
_DETERMINER_START = re.compile(r"^(?:A|An|The|One|Two|Three|Several|Some)\b")
# Generic nouns for an organisation: "the group said" is the organisation named just before.
_ORGANISATION_NOUNS = frozenset({"group", "company", "firm", "organization", "organisation", "movement"})
_ORG_LOOKBACK = 3
_PARTICIPLE_TOKENS = 8
_MAX_SPEAKER_WORDS = 16


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a quotation is attributed to and where the attribution is."""

    speaker: str
    start: int
    end: int
    speaker_start: int = -1
    speaker_end: int = -1
    cue: str = ""


def speaker_span(article_id: str, attribution: Attribution) -> Span | None:
    if attribution.speaker_start < 0:
        return None
    return Span(article_id, attribution.speaker_start, attribution.speaker_end)


def subject_of(verb: Token) -> Token | None:
    """The subject of a speech verb, or the source of "according to"."""
    if verb.lower_ == "according":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        if to is None and verb.i + 1 < len(verb.doc):
            to = verb.doc[verb.i + 1]
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    current: Token | None = verb
    for _ in range(3):
        if current is None:
            break
        subject = next((c for c in current.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            return subject
        current = (
            current.head
            if current.dep_ in {"conj", "xcomp", "advcl", "ccomp"} and current.head is not current
            else None
        )
    return _name_before(verb) if verb.lower_ in SPEECH_VERBS else None


def _antecedent(subject: Token) -> Token | None:
    """The noun a relative pronoun subject stands for: "officials" of "officials who said"."""
    clause = subject.head
    if subject.tag_ not in {"WP", "WDT"} or clause.dep_ != "relcl" or clause.head is clause:
        return None
    return clause.head if clause.head.pos_ in {"NOUN", "PROPN", "PRON"} else None


def _name_before(verb: Token) -> Token | None:
    """A name right before a speech verb the parser left without a subject ("In a statement to the
    Observer, her adviser, Jake Sullivan, said: ..." parsed with the adviser in apposition)."""
    i = verb.i - 1
    if i >= 0 and verb.doc[i].text == ",":
        i -= 1
    if i < 0:
        return None
    tok = verb.doc[i]
    if tok.pos_ != "PROPN" or tok.ent_type_ not in {"PERSON", "ORG"} or tok.dep_ not in {"appos", "pobj", "conj"}:
        return None
    return tok


def speaker_of(
    verb: Token,
    salience: Salience,
    skip: list[tuple[int, int]],
    unresolved: bool = False,
    subject: Token | None = None,
) -> Attribution | None:
    """Resolve the subject of ``verb`` (or the given ``subject``: a cue noun's source) to a speaker name
    or a described source."""
    subject = subject if subject is not None else subject_of(verb)
    if subject is None or any(a <= subject.idx < b for a, b in skip):
        return None  # no subject, or one inside a quotation: not a speaker
    antecedent = _antecedent(subject)
    if antecedent is not None:
        # "officials who said X": the speaker is the officials, written as "who"
        through = speaker_of(verb, salience, skip, unresolved, subject=antecedent)
        if through is None:
            return None
        end = subject.idx + len(subject.text)
        return replace(
            through,
            start=min(subject.idx, verb.idx),
            end=max(end, verb.idx + len(verb.text)),
            speaker_start=subject.idx,
            speaker_end=end,
        )
    text = salience.article.text
    np_start, np_end = noun_phrase(subject)
    span_start = min(np_start, verb.idx)
    span_end = max(np_end, verb.idx + len(verb.text))
    cue = verb.text if verb.lower_ != "according" else "according to"

    def found(name: str) -> Attribution | None:
        if len(name.split()) > _MAX_SPEAKER_WORDS:
            return None  # a parse gone wrong (a run-on quote as a subject), not a name or a description
        return Attribution(name, span_start, span_end, np_start, np_end, cue)

    word = _POSSESSIVE_PRONOUNS.get(subject.lower_, subject.lower_)
    referent: Referent | None
    if subject.pos_ == "PRON":
        if word not in _SUBJECT_PRONOUNS:
            return None
        if word == "it":
            referent = salience.resolve_pronoun("they", subject.idx)
        else:
            referent = salience.resolve_pronoun(word, subject.idx)
        if referent is None:
            return found(subject.text) if unresolved else None
        return found(_name_of(referent, salience))
    referent = salience.referent_of(subject)
    if referent is None:
        if unresolved and subject.pos_ in {"NOUN", "PROPN"}:
            return found(_described_source(salience.doc, text, np_start, np_end))
        return None
    if referent.entity is not None:
        return found(referent.entity.name)
    determiner = fold(text[np_start:np_end]).split()[0] if text[np_start:np_end].strip() else ""
    if determiner in {"the", "this", "that"}:
        resolved = salience.resolve_description(referent.head, np_start)
        if resolved is not None:
            return found(_name_of(resolved, salience))
        org = salience.resolve_named_org(text[np_start:np_end], np_start)
        if org is None and referent.head in _ORGANISATION_NOUNS:
            org = _recent_organisation(salience, np_start, skip)
        if org is not None:
            return found(org.name)
    return found(_described_source(salience.doc, text, np_start, np_end))


def _recent_organisation(salience: Salience, offset: int, skip: list[tuple[int, int]]) -> ArticleEntity | None:
    """The organisation or group named last before ``offset`` within a few sentences, outside ``skip``
    (quoted speech): "The group said" after the group's name."""
    sentences = salience.sentences
    here = next((i for i, s in enumerate(sentences) if s.start <= offset < s.end), 0)
    earliest = sentences[max(0, here - _ORG_LOOKBACK)].start if sentences else 0
    best: tuple[int, ArticleEntity] | None = None
    for entity in salience.found.entities:
        if entity.kind not in {"organization", "group"}:
            continue
        for mention in entity.mentions:
            if any(a <= mention.start < b for a, b in skip):
                continue
            if earliest <= mention.start < offset and (best is None or mention.start > best[0]):
                best = (mention.start, entity)
    return best[1] if best else None


def _described_source(doc: Doc, text: str, start: int, end: int) -> str:
    """A described source ``text[start:end]`` with the participle phrase that identifies it.

    "a person briefed on the talks", not "a person"; a phrase after a comma is a clause, not kept.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        for child in span.root.children:
            if child.dep_ != "acl" or child.tag_ not in {"VBN", "VBG"} or child.i < span.root.i:
                continue
            tokens = list(child.subtree)
            if not text[end : tokens[0].idx].strip() and len(tokens) <= _PARTICIPLE_TOKENS:
                end = tokens[-1].idx + len(tokens[-1].text)
            break
    return _described(text[start:end])


def _name_of(referent: Referent, salience: Salience) -> str:
    """A referent's name: the entity's fullest name, or the described source."""
    if referent.entity is not None:
        return referent.entity.name
    return _described_source(salience.doc, salience.article.text, referent.start, referent.end)


def _described(phrase: str) -> str:
    """A described source as the text gives it, with a sentence-initial article lower-cased."""
    phrase = phrase.strip()
    if _DETERMINER_START.match(phrase):
        phrase = phrase[0].lower() + phrase[1:]
    return phrase
