"""A Windows package cross-built with zig."""
