"""The app's pages: each module has ``page() -> None``."""
