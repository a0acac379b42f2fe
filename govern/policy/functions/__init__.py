"""govern's built-in check functions, one module per domain; ``general`` holds the ones every domain uses."""
