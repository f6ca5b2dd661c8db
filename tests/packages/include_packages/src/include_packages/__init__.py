from include_packages._core import pair

__all__ = ["pair"]
