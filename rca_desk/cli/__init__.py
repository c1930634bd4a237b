"""The ``rca-desk`` command: the GUI and headless subcommands."""
