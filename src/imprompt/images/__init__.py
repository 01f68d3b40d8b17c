"""Image generation behind one interface (see base.py)."""
