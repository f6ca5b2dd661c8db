"""The project: pyproject.toml, the Project, its metadata and its [[generate]] files."""
