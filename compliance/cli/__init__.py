"""The `aicomply` command: click only, one module per command group.

Options in, one call into the core, exit code out. Each module registers its commands on the
group defined in base.py; nothing in the core imports from here.
"""

from compliance.cli import check, declarations, documents, incentives, register, rules  # noqa: F401  (they register commands)
from compliance.cli.base import main

__all__ = ["main"]
