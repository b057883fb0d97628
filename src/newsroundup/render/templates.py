"""The one Jinja environment every page and standalone roundup is rendered with: autoescaped and strict."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2


class _Environment(jinja2.Environment):
    """Templates where ``entry.copy`` or ``entry.values`` read the dict's key, never the dict method of that name.

    Jinja's ``.`` tries attributes before keys, so a view key named like a ``dict`` method ("copy",
    "values", "items") would silently yield the method: a bound method is truthy, and iterating it fails.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The templates of ``render/templates``; a name a template uses but is not given is an error."""
    return _Environment(
        loader=jinja2.PackageLoader("newsroundup.render", "templates"),
        autoescape=True,  # titles, texts and URLs come from outside
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
