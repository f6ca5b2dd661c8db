"""``ironwheel new`` and ``ironwheel init``: a complete project from a template."""
