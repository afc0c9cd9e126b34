"""Glaneur: federated portal of the French fight against food insecurity.

This package holds what belongs to no single stage of the data flow: the CLI, the Scrapy
settings, the database schema, the source registry and the build that publishes the portal.
"""

__version__ = "0.1.0"
