"""Questions several services ask in the same words: the person's names.

Kept under the same ids in every service, so that staff find any case by family name.
"""

from __future__ import annotations

from webapp.engine.fields import Label, Name
from webapp.engine.schema import Question
from webapp.i18n import lazy_gettext as _l


def family_name() -> Question:
    return Question(
        "surname",
        _l("Family name"),
        Name(autocomplete="family-name"),
        error=_l("Enter your family name"),
        name=_l("Family name"),
    )


def given_names(hint: Label | None = None) -> Question:
    return Question(
        "forenames",
        _l("Given names"),
        Name(autocomplete="given-name", width="30"),
        hint=hint,
        error=_l("Enter your given names"),
        name=_l("Given names"),
    )
