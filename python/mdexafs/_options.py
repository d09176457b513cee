"""Keyword options checked one by one, with the Lua API's messages in
Python's words: "WHAT: 'KEY' must be a number, not str"."""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from ._criteria import flag, is_number
from ._lib import UsageError


def number(options: Mapping[str, Any], what: str, key: str,
           default: float) -> float:
    """options[key], a real number, or default when absent or None."""
    v = options.get(key)
    if v is None:
        return default
    if not is_number(v):
        raise UsageError("%s: '%s' must be a number, not %s"
                         % (what, key, type(v).__name__))
    return float(v)


def string(options: Mapping[str, Any], what: str, key: str,
           default: Optional[str]) -> Optional[str]:
    """options[key], a string, or default when absent or None."""
    v = options.get(key)
    if v is None:
        return default
    if not isinstance(v, str):
        raise UsageError("%s: '%s' must be a string, not %s"
                         % (what, key, type(v).__name__))
    return v


def boolean(options: Mapping[str, Any], what: str, key: str,
            default: bool) -> bool:
    """options[key], True or False, or default when absent or None."""
    v = options.get(key)
    return default if v is None else flag(v, what, key)


def choice(options: Mapping[str, Any], what: str, key: str,
           values: Sequence[str], default: int) -> int:
    """The index in values of options[key], or default when absent."""
    v = string(options, what, key, None)
    if v is None:
        return default
    if v not in values:
        raise UsageError("%s: %s must be one of: %s"
                         % (what, key, " ".join(values)))
    return list(values).index(v)
