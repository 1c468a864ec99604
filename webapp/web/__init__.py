"""The HTTP layer. ``routing`` is imported first: it sets how whole numbers in paths are read
before any module here declares a route."""

from webapp.web import routing as routing
