"""Section 9: the applicant's photo (uploaded, or enclosed on paper)."""

from __future__ import annotations

from webapp.channels import STAFF_CHANNELS
from webapp.engine.conditions import all_of, answer_is, channel_is, not_
from webapp.engine.fields import Enclosure, FileUpload, Option, Radios
from webapp.engine.schema import Question, Section
from webapp.i18n import lazy_gettext as _l

# On paper the photos are enclosed, not uploaded. Form 201's notes: four identical photos, one
# signed on the back (since 2014 by the applicant, no longer a referee); some forces now ask for
# fewer (domain notes, "Photographs on paper": confirm the number per force).
PAPER_PHOTOS = Enclosure(
    _l("Your photos"),
    (
        _l("Enclose 4 identical photos of yourself with this form."),
        _l(
            "They must be recent, 45 mm high and 35 mm wide, and show your full face without a hat."
        ),
        _l("Sign your name on the back of one of the photos."),
    ),
)

PHOTOS_BY_POST = all_of(channel_is(*STAFF_CHANNELS), answer_is("photo_route", "post"))

photo = Section(
    "photo",
    _l("Your photo"),
    [
        # Staff helping a caller (or keying in paper) may take the photos by post instead.
        Question(
            "photo_route",
            _l("How is the applicant sending their photo?"),
            Radios(
                (
                    Option("upload", _l("Upload a digital photo now")),
                    Option(
                        "post",
                        _l("Photos to follow by post"),
                        hint=_l(
                            "The case shows the photos as outstanding until staff record them received"
                        ),
                    ),
                )
            ),
            name=_l("How the photo is sent"),
            error=_l("Select how the applicant is sending their photo"),
            condition=channel_is(*STAFF_CHANNELS),
        ),
        Question(
            "photo",
            _l("Upload a photo of yourself"),
            FileUpload(paper=PAPER_PHOTOS),
            name=_l("Photo"),
            error=_l("Select a photo"),
            condition=not_(PHOTOS_BY_POST),
            hint=_l(
                "A recent colour photo of your face, looking straight at the camera, without a hat or "
                "sunglasses. It must be a JPG or PNG file smaller than 10MB."
            ),
        ),
    ],
    depends_on=["application"],
)
