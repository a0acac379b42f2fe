"""A plugin that is not even Python."""
def govern_rules(:
