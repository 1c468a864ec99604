"""Guidance for referees: the page the applicant gives (or links) to the two people they name.

Built from the referee facts of the 2025 review of Form 201 (SI 2025/914). The forces' own
referee guide is Annex A of the 2025 form; this is a summary in our words, not a copy of it, and
to confirm against it: who cannot be a referee (``NOT_A_REFEREE`` in referees.py, beside the
applicant's confirmation of the same list).
"""

from __future__ import annotations

from webapp.engine.schema import Guide, GuidePart
from webapp.i18n import lazy_gettext as _l

from .referees import NOT_A_REFEREE

REFEREE_GUIDE = Guide(
    "referees",
    _l("Guidance for referees"),
    summary=_l(
        "Someone has named you as a referee for their firearm or shotgun certificate application. "
        "This page explains what that means."
    ),
    parts=[
        GuidePart(
            heading=_l("Who can be a referee"),
            paragraphs=[_l("You can be a referee if you:")],
            bullets=[
                _l("have known the applicant personally for at least 2 years"),
                _l("live in Great Britain (England, Scotland or Wales)"),
                _l("are of good character"),
                _l("give the reference free of charge"),
            ],
        ),
        GuidePart(
            paragraphs=[_l("You cannot be a referee if you are:")],
            bullets=NOT_A_REFEREE,
        ),
        GuidePart(
            heading=_l("What happens next"),
            paragraphs=[
                _l(
                    "The police force the applicant applied to will contact you by phone, email or "
                    "letter, using the details the applicant gave."
                ),
                _l(
                    "They will ask how long and how well you have known the applicant, and whether "
                    "you know of any reason they should not be trusted with firearms or shotguns "
                    "(for example their health, their use of alcohol or drugs, or their behaviour)."
                ),
                _l(
                    "You will be asked to confirm that you can be a referee. Answer honestly: what "
                    "you say helps the police decide whether the applicant can safely have guns."
                ),
            ],
        ),
        GuidePart(
            heading=_l("If you do not want to be a referee"),
            paragraphs=[
                _l(
                    "Tell the applicant. If the police contact you, tell them too: the applicant "
                    "will need to name someone else."
                ),
                _l(
                    "If you have concerns about the applicant having firearms or shotguns, tell the "
                    "police. You do not need to tell the applicant."
                ),
            ],
        ),
    ],
)
