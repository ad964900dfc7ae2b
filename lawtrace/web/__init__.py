"""The caseworker's web page and the JSON API, as one ASGI app (`create_app`), served by `lawtrace serve`."""

from lawtrace.web.app import create_app

__all__ = ["create_app"]
