"""Pick a provider for each request."""

from dataclasses import dataclass, field


@dataclass
class Router:
    providers: list = field(default_factory=list)
    default: str = "openai"
    fallbacks: dict = field(default_factory=dict)

    def pick(self, model: str) -> str:
        for provider in self.providers:
            if model.lower().startswith(provider + "/"):
                return provider
        return self.default

    def fallback(self, provider: str) -> str:
        return self.fallbacks.get(provider, self.default)


def route_request(router: Router, request: dict) -> str:
    """Return the provider that should serve ``request``."""
    return router.pick(request.get("model", ""))
