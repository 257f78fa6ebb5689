"""API-key checks for the proxy."""

import hmac


def key_matches(presented: str, expected: str) -> bool:
    if not presented or not expected:
        return False
    return hmac.compare_digest(presented.encode(), expected.encode())
