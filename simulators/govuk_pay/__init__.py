"""A GOV.UK Pay simulator: the parts of the public API Blue Lamp uses, and a card page.

Run it with `python -m simulators.govuk_pay --host 127.0.0.1 --port 8765`. See README.md in this
package for what it covers of the real API and what it does not.
"""

from simulators.govuk_pay.app import create_app

__all__ = ["create_app"]
