from oldpkg._legacy import answer

PYTHON = 3
