"""Every public service, keyed by its URL slug, so the web layer can serve them all generically."""

from webapp.engine.schema import Service

from .firearm_certificate import SERVICE as FIREARM_CERTIFICATE
from .pay_the_police import SERVICE as PAY_THE_POLICE
from .report_lost_or_stolen import SERVICE as REPORT_LOST_OR_STOLEN

SERVICES: dict[str, Service] = {
    service.slug: service
    for service in (FIREARM_CERTIFICATE, REPORT_LOST_OR_STOLEN, PAY_THE_POLICE)
}

__all__ = ["SERVICES"]
