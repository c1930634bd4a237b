"""rca_desk: root cause analysis workshops on one cause graph per incident.

The package is layered, each layer importing only those below it (the import-linter
contracts in ``pyproject.toml`` enforce it): ``model`` is the pure-Python domain;
``layout`` (pure geometry) and ``store`` (the SQLite workspace) build on it;
``interchange`` reads and writes files; ``render`` draws with Qt; ``ui`` is the desktop
app; ``cli`` is the ``rca-desk`` command.
"""

__version__ = "0.1.0"
