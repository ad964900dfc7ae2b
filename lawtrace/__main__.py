"""`python -m lawtrace`."""

from lawtrace.cli import main

main()
