"""vpctui: a terminal explorer for AWS VPC networking."""

__version__ = "0.1.0"
