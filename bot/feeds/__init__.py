"""feeds layer."""
