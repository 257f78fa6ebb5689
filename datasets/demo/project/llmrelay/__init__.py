"""llmrelay: relay chat-completion requests to model providers."""

__version__ = "1.80.0"

from .router import Router, route_request  # noqa: F401
