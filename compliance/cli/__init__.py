"""The `aicomply` command: click only, one module per command group.

Options in, one call into the core, exit code out. Each module registers its commands on the
group defined in base.py, which imports a module only when one of its commands is run (or all of
them for --help); nothing in the core imports from here.
"""

from compliance.cli.base import main  # each command's module is imported when the command is named

__all__ = ["main"]
