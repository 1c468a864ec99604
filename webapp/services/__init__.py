"""Every public service, keyed by its URL slug, so the web layer can serve them all generically."""

from webapp.engine.schema import Service

from .firearm_certificate import SERVICE as FIREARM_CERTIFICATE

SERVICES: dict[str, Service] = {service.slug: service for service in (FIREARM_CERTIFICATE,)}

__all__ = ["SERVICES"]
