"""Modal and full screens: help, target picker, YAML, load error."""
