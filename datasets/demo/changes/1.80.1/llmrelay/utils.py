"""Small helpers shared by the router and the proxy."""


def redact(key: str) -> str:
    """Hide all but the last four characters of an API key."""
    if len(key) <= 4:
        return "*" * len(key)
    return "*" * (len(key) - 4) + key[-4:]


def truncate(text: str, limit: int = 200) -> str:
    """Shorten log lines."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
