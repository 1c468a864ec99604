"""How an application reaches a force: the public online, or staff taking it for the applicant
(by phone: assisted digital; keying in a paper form). Services relax or add questions by these
names (``Question(optional_for=STAFF_CHANNELS)``, ``channel_is(*STAFF_CHANNELS)``)."""

from __future__ import annotations

ONLINE = "online"
ASSISTED = "assisted"
PAPER = "paper"
STAFF_CHANNELS = (ASSISTED, PAPER)
