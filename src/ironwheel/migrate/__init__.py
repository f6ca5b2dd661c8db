"""``ironwheel migrate``: a setuptools or scikit-build-core project -> an ironwheel project.

:func:`ironwheel.migrate.plan.plan_migration` reads a project and returns
the new pyproject.toml and the report; nothing here runs at build time.
"""
