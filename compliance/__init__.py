"""aicomply: checks AI products against the Shenzhen SEZ AI Industry Promotion Regulations (2022)."""

__version__ = "0.1.0"
