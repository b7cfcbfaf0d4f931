"""The ``gongkai`` command line: one module per command group."""
