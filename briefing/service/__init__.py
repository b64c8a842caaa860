"""The HTTP service (`briefing serve`): the app factory (app), its routes (routes), auth and body limits
(guard), request and response bodies (schemas) and the per-process state (state)."""

from briefing.service.app import create_app

__all__ = ["create_app"]
