"""Pick a provider for each request."""

from dataclasses import dataclass, field


@dataclass
class Router:
    providers: list = field(default_factory=list)
    default: str = "openai"

    def pick(self, model: str) -> str:
        for provider in self.providers:
            if model.startswith(provider + "/"):
                return provider
        return self.default


def route_request(router: Router, request: dict) -> str:
    """Return the provider that should serve ``request``."""
    return router.pick(request.get("model", ""))
