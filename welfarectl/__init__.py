"""welfarectl: run a territorial corporate-welfare network from plain files."""

__version__ = "0.1.0"
