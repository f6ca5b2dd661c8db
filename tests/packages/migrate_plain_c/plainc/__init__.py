from plainc._core import asserts_enabled, fast, triple

__all__ = ["asserts_enabled", "fast", "triple"]
