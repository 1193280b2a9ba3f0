"""The ``apecdocs`` command's entry point: Ctrl-C at any moment, even while Python is
still importing the command, ends with one line and exit code 130 (``interrupt``).

Nothing is imported before the ``try``: the guard must start at once.
"""

from __future__ import annotations


def main() -> None:
    try:
        import gc

        # Start-up makes thousands of objects (modules, classes, plugins) and no garbage:
        # the cycle collector would walk them over and over (a tenth of start-up's time).
        # ``cli.main`` freezes them once the plugins are in, and turns it back on.
        gc.disable()
        from .cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        from .interrupt import interrupted

        interrupted()


if __name__ == "__main__":
    main()
