"""The assisted-digital back office for police force staff, under /staff."""

from __future__ import annotations

from . import (
    admin,
    applications,
    apply,
    auth,
    drafts,
    feedback,
    force_settings,
    payments,
    platform,
    price_list,
    refunds,
)

routes = [
    *auth.routes,
    *applications.routes,
    *apply.routes,
    *drafts.routes,
    *admin.routes,
    *feedback.routes,
    *force_settings.routes,
    *price_list.routes,
    *platform.routes,
    *payments.routes,
    *refunds.routes,
]

__all__ = ["routes"]
