"""PEP 660 editable installs: the build in place (``wheel``) and the import hook (``finder``, ``rebuild``)."""
