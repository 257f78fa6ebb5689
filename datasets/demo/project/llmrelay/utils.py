"""Small helpers shared by the router and the proxy."""


def redact(key: str) -> str:
    """Hide all but the last four characters of an API key."""
    if len(key) <= 4:
        return "*" * len(key)
    return "*" * (len(key) - 4) + key[-4:]
