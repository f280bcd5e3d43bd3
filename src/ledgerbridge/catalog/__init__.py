"""The INT error catalog as data."""
