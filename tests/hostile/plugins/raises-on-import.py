"""A plugin that fails as it is imported (its message carries terminal escapes)."""
raise RuntimeError("\x1b[31mplugin exploded\x1b[0m \u202eesrever\x07")
