from limited_decl._core import limited
