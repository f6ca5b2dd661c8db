"""An in-tree PEP 517 backend: setuptools, after cythonizing [tool.local.cythonize] sources."""
