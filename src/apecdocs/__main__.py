"""The ``apecdocs`` command's entry point: Ctrl-C at any moment, even while Python is
still importing the command, ends with one line and exit code 130 (``interrupt``)."""

from __future__ import annotations

from .interrupt import interrupted


def main() -> None:
    try:
        from .cli import main as cli_main  # inside the guard: imports take a moment

        cli_main()
    except KeyboardInterrupt:
        interrupted()


if __name__ == "__main__":
    main()
