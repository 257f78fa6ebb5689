"""HTTP proxy that relays chat-completion requests."""

import json
import logging

from ..router import Router, route_request
from .auth import key_matches

log = logging.getLogger(__name__)

ROUTER = Router(providers=["openai", "anthropic", "mistral"])


def handle(body: bytes, api_key: str, expected_key: str) -> dict:
    if not key_matches(api_key, expected_key):
        return {"status": 401, "error": "invalid key"}
    request = json.loads(body)
    provider = route_request(ROUTER, request)
    log.info("relaying %s to %s", request.get("model"), provider)
    return {"status": 200, "provider": provider}


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    log.info("llmrelay proxy ready")


if __name__ == "__main__":
    main()
