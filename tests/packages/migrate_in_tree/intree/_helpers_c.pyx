def halve(long value):
    """Half of an integer."""
    return value // 2
