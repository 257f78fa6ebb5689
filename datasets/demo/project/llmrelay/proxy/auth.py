"""API-key checks for the proxy."""

import hmac


def key_matches(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode(), expected.encode())
