"""Pure-Python models, errors and ports shared by every layer. No SDK imports."""
