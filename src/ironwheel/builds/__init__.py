"""The builds the hooks ask for: a wheel (native or pure) and an sdist."""
