"""`python -m glaneur` runs the command line."""

if __name__ == "__main__":  # worker processes (spawn) import this module without running it
    from glaneur.cli import main

    main()
