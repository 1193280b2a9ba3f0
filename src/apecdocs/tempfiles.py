"""Temporary files beside their destination, named so a later build can tell a dead
build's leftovers from a running one's.

Every temporary file apecdocs writes (outputs, cache entries, the manifest, charts)
carries ``.~<pid>~`` in its name. A build killed outright (``kill -9``, a power cut)
leaves them behind; the next build removes those whose process is gone.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

MARK = re.compile(r"\.~(\d+)~")


def temp_path(dest: Path) -> Path:
    """A temporary name beside ``dest``, unique per process and thread."""
    return dest.with_name(f".{dest.name}.~{os.getpid()}~{threading.get_ident()}.part")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def remove_stale(*folders: Path) -> int:
    """Delete temporary files left by builds that no longer run; return how many."""
    removed = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for parent, _dirs, files in os.walk(folder):
            for name in files:
                found = MARK.search(name)
                if found and not _alive(int(found.group(1))):
                    try:
                        os.unlink(os.path.join(parent, name))
                        removed += 1
                    except OSError:
                        pass
    return removed
