from npsum._sum import total

__all__ = ["total"]
