"""Compiler toolchains ironwheel sets up itself: zig for any target, MSVC on Windows."""
