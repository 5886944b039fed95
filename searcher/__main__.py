"""``python -m searcher``: the same command line as ``searcher``."""

from .cli import main

if __name__ == "__main__":
    main()
