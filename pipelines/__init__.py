"""Pipelines: extract text and metadata from what spiders fetched, then store documents."""
