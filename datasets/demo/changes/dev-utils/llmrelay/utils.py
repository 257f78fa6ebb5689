"""Small helpers shared by the router and the proxy."""

ELLIPSIS = "…"


def redact(key: str) -> str:
    """Hide all but the last four characters of an API key."""
    visible = key[-4:] if len(key) > 4 else ""
    return "*" * (len(key) - len(visible)) + visible


def truncate(text: str, limit: int = 200) -> str:
    """Shorten log lines."""
    if limit < 1:
        raise ValueError("limit must be positive")
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
