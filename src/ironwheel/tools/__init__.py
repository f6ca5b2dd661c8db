"""The tools: cmake and ninja (and what builds learnt of them), compilers, the compiler launcher."""
