"""The web app and JSON API: `create_app(config, clock=..., team=...)` builds one."""

from notnow.services.schemas import build_all

build_all()  # before any route reads a model (the services' models are built when first used)

from notnow.web.app import create_app  # noqa: E402 - after the models are built

__all__ = ["create_app"]
