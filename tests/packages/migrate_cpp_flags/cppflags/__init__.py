from cppflags._geometry import built_for, distance

__all__ = ["built_for", "distance"]
