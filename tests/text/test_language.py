"""Language of an article from function-word shares (text/language.py)."""

from __future__ import annotations

import pytest

from newsroundup.text.language import detect_language, story_language

TEXTS = {
    "en": "The council said on Monday that the bridge over the river would stay closed for at least three weeks "
    "while engineers inspect the rest of the structure, and that ferries would run more often.",
    "de": "Der Stadtrat hat am Montag mitgeteilt, dass die Brücke über den Fluss mindestens drei Wochen gesperrt "
    "bleibt, während Ingenieure den Rest des Bauwerks prüfen, und dass die Fähren öfter fahren werden.",
    "fr": "Le conseil municipal a annoncé lundi que le pont sur la rivière resterait fermé pendant au moins trois "
    "semaines, le temps que des ingénieurs inspectent le reste de la structure, et que les bacs seront plus "
    "nombreux.",
    "nl": "De gemeenteraad heeft maandag gezegd dat de brug over de rivier minstens drie weken dicht blijft terwijl "
    "ingenieurs de rest van het bouwwerk controleren, en dat de veerboten vaker zullen varen dan nu het geval is.",
    "es": "El ayuntamiento dijo el lunes que el puente sobre el río seguirá cerrado durante al menos tres semanas "
    "mientras los ingenieros revisan el resto de la estructura, y que los transbordadores pasarán con más frecuencia.",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_each_language_is_told_apart(code: str) -> None:
    assert detect_language(TEXTS[code]) == code


def test_short_or_unreadable_text_gets_no_verdict() -> None:
    assert detect_language("Breaking news") is None
    assert detect_language("qx zzv prrt " * 30) is None


def test_story_language_is_the_language_of_most_text_english_on_a_tie() -> None:
    assert story_language(["de", "en", None], [100, 300, 50]) == "en"
    assert story_language(["de", "en"], [200, 200]) == "en"
    assert story_language([None], [10]) is None
