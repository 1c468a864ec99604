"""Translation: every user-facing string goes through here.

The active locale lives in a context variable set per request by the web layer, so code far
from HTTP (the form engine, service definitions, PDF rendering) can translate without being
handed a request. Strings declared at import time (service definitions) use ``lazy_gettext``:
they are looked up when rendered, in whatever locale is active then.
"""

from __future__ import annotations

import contextvars
from functools import cache, lru_cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

CATALOGUE_DIR = Path(__file__).parent
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "cy")

_current_locale: contextvars.ContextVar[str] = contextvars.ContextVar(
    "locale", default=DEFAULT_LOCALE
)


@cache
def translations_for(locale: str) -> NullTranslations:
    """Compiled catalogue for a locale; an empty one where none is compiled yet."""
    return Translations.load(str(CATALOGUE_DIR), [locale], DOMAIN)


def set_locale(locale: str) -> contextvars.Token[str]:
    return _current_locale.set(locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE)


def reset_locale(token: contextvars.Token[str]) -> None:
    _current_locale.reset(token)


def get_locale() -> str:
    return _current_locale.get()


@lru_cache(maxsize=8192)
def _translate(locale: str, message: str) -> str:
    # Catalogues do not change while the app runs, and one check answers page asks for a few
    # hundred strings: a cached answer skips the catalogue's lookup chain (and its plural rule).
    return translations_for(locale).gettext(message)


def gettext(message: str, **variables: object) -> str:
    text = _translate(get_locale(), message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations_for(get_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def lazy_gettext(message: str, **variables: object) -> LazyProxy:
    """A string translated when it is used, for declarations made at import time."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext
