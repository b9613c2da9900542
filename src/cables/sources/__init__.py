"""Readers that yield raw pages and texts from mirrors, archives, dumps and files. No parsing."""
