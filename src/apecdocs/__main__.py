"""The ``apecdocs`` command's entry point: Ctrl-C at any moment, even while Python is
still importing the command, ends with one line and exit code 130 (``interrupt``).

Nothing is imported before the ``try``: the guard must start at once.
"""

from __future__ import annotations


def main() -> None:
    try:
        from .cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        from .interrupt import interrupted

        interrupted()


if __name__ == "__main__":
    main()
