"""C++ modules compiled by zig: libc++ linked statically, an old glibc."""
