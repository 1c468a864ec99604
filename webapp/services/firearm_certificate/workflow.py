"""The case workflow for firearm and shotgun certificate applications: received, the medical
check with the applicant's GP, referee checks, a home visit, then a decision. An application
may be refused or withdrawn at any stage; it is granted only after the home visit. Every move
needs a note, and any member of a force's staff may make it.

Withdrawal is two states. Withdrawn straight from "Received", before the GP, referees or an
officer were asked anything, the fee has bought no work: that state is refundable, so moving a
paid case there proposes the refund to a force administrator. Withdrawn once checks began, the
fee paid for them and is kept (an administrator can still refund by hand, with a reason);
refused is never refunded by the rules either."""

from __future__ import annotations

from webapp.engine.workflow import RECEIVED, Move, State, Workflow
from webapp.i18n import lazy_gettext as _l

STAFF = ("caseworker", "admin")
STAGES = [RECEIVED, "medical_check", "referee_checks", "home_visit"]
WITHDRAWN_EARLY = "withdrawn_before_checks"
# Possible from every stage; withdrawing before checks began has a state of its own (above).
CLOSING = dict.fromkeys(STAGES, ("refused", "withdrawn")) | {RECEIVED: ("refused", WITHDRAWN_EARLY)}

WORKFLOW = Workflow(
    states=[
        State(
            RECEIVED,
            "Received",
            _l("We have received your application. We will contact you if we need anything else."),
            tag="blue",
        ),
        State(
            "medical_check",
            "Medical check",
            _l("We have asked your GP for information about your health."),
            tag="purple",
        ),
        State(
            "referee_checks", "Referee checks", _l("We are contacting your referees."), tag="purple"
        ),
        State(
            "home_visit",
            "Home visit",
            _l("An officer will contact you to arrange a visit to your home."),
            tag="purple",
        ),
        State(
            "granted",
            "Granted",
            _l("Your application has been granted. Your certificate will be sent to you by post."),
            final=True,
            tag="green",
        ),
        State(
            "refused",
            "Refused",
            _l(
                "Your application has been refused. We have written to you to explain why and what you can do."
            ),
            final=True,
            tag="red",
        ),
        State(
            WITHDRAWN_EARLY,
            "Withdrawn before checks",
            _l("Your application has been withdrawn."),
            final=True,
            tag="grey",
            refundable=True,
        ),
        State(
            "withdrawn",
            "Withdrawn",
            _l("Your application has been withdrawn."),
            final=True,
            tag="grey",
        ),
    ],
    moves=[
        Move(stage, target, STAFF)
        for stage, following in zip(STAGES, [*STAGES[1:], "granted"], strict=True)
        for target in (following, *CLOSING[stage])
    ],
)
