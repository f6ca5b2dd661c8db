"""A Windows package cross-built with mingw-w64."""
