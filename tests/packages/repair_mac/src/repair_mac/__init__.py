"""A macOS package cross-built with zig."""
