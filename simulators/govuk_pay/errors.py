"""GOV.UK Pay's error bodies: {"code": ..., "field": ..., "description": ...}."""

from __future__ import annotations

from starlette.responses import JSONResponse


def error(
    status: int, code: str | None, description: str, field: str | None = None
) -> JSONResponse:
    body: dict[str, str] = {}
    if field is not None:
        body["field"] = field
    if code is not None:
        body["code"] = code
    body["description"] = description
    return JSONResponse(body, status_code=status)
