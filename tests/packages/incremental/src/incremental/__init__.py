from incremental._impl import answer

__all__ = ["answer"]
