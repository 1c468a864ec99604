"""No request holds the event loop for more than 50 ms: every service's journey, an upload of
a photo a phone takes and of an image too big to be a photo, and the staff pages a caseworker
uses (search, a case, its PDF). Image checks and PDFs run in worker processes; this proves it
by timing each step the loop runs (tests/support/loop_watch.py, in CPU time, so a busy machine
cannot fail it and a slow one cannot hide a blocking call).

Everything is done twice and only the second time is watched: the first use of a page compiles
its templates and imports what it needs, once per process."""

from __future__ import annotations

import io

from starlette.testclient import TestClient

from tests.support.forms import csrf_from
from tests.support.loop_watch import watch_the_loop
from tests.support.service_walk import walk_service
from tests.support.staff import client_from_own_address, new_staff, sent_application, sign_in
from webapp.app import create_app
from webapp.services import SERVICES
from webapp.settings import Settings

LIMIT_MS = 50.0
PHOTO_SERVICE = "firearm-certificate"


def _image(width: int, height: int, kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 140, 160)).save(out, format=kind)
    return out.getvalue()


def _photo_page(service_slug: str) -> str:
    service = SERVICES[service_slug]
    photo = next(ref for ref in service.questions.values() if ref.question.field.is_upload)
    return f"/apply/{service_slug}/{photo.page.id}"


def _public_work(client: TestClient, big_photo: bytes, huge_image: bytes) -> None:
    for service in SERVICES.values():
        walk_service(client, service, until="check")
    url = _photo_page(PHOTO_SERVICE)
    for name, data in (("phone.jpg", big_photo), ("huge.png", huge_image)):
        page = client.get(url)
        client.post(
            url,
            data={"csrf_token": csrf_from(page.text)},
            files={"photo": (name, data, "image/jpeg" if name.endswith("jpg") else "image/png")},
        )


def _staff_work(client: TestClient, case_id: int) -> None:
    client.get("/staff")
    client.get("/staff/applications", params={"surname": "Jones"})
    client.get(f"/staff/applications/{case_id}")
    client.get(f"/staff/applications/{case_id}/application.pdf")
    client.get(f"/staff/applications/{case_id}/letter")


def test_no_request_blocks_the_loop(settings: Settings, database_url: str) -> None:
    big_photo = _image(4032, 3024, "JPEG")  # a 12-megapixel phone photo
    huge_image = _image(7000, 7000, "PNG")  # small on the wire, 49 megapixels decoded
    case = sent_application(database_url, "cheshire")
    app = create_app(settings)
    with TestClient(app) as public, client_from_own_address(app) as staff:
        assert sign_in(staff, new_staff(database_url, "cheshire")).status_code == 303
        _public_work(public, big_photo, huge_image)
        _staff_work(staff, case.id)
        with watch_the_loop() as watch:
            _public_work(public, big_photo, huge_image)
            _staff_work(staff, case.id)
    assert watch.runs > 1000, "the watch saw the requests"
    assert not watch.over(LIMIT_MS), watch.longest()
