"""Shared pytest configuration: the repository root is the rootdir, so packages import from source."""
