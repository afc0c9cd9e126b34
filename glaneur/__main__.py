"""`python -m glaneur` runs the command line."""

from glaneur.cli import main

main()
