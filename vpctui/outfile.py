"""Files the CLI writes (`screenshot --out`, `export -o`): checked before any work, written
atomically, never replacing a file or following a symbolic link without --force; `-` is stdout.

    out = OutputFile(path, force=args.force, option="--out")   # checks now: OutputError, one line
    ...load, render...
    out.write(text)                                             # temp file in the same directory, then rename
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Optional


class OutputError(Exception):
    """A path that cannot be written, as one line naming the option and the path."""


class OutputFile:
    def __init__(self, path: str, *, force: bool = False, option: str = "-o"):
        self.path = path
        self.force = force
        self.option = option
        self._tmp: Optional[str] = None
        if path == "-":
            return
        if path == "" or path.strip() == "":
            raise OutputError(f"{option}: the path is empty (give a file name, or - for stdout)")
        self._check()
        d = os.path.dirname(os.path.abspath(path))
        try:  # proves the directory is writable before the work starts; removed on failure
            fd, self._tmp = tempfile.mkstemp(dir=d, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
            os.close(fd)
        except OSError as e:
            raise OutputError(f"{option} {path}: cannot write in {d}: {e.strerror or e}") from None

    @property
    def is_stdout(self) -> bool:
        return self.path == "-"

    @property
    def label(self) -> str:
        return "stdout" if self.is_stdout else self.path

    def _check(self) -> None:
        path, option = self.path, self.option
        d = os.path.dirname(os.path.abspath(path))
        if not os.path.exists(d):
            raise OutputError(f"{option} {path}: the directory {d} does not exist")
        if not os.path.isdir(d):
            raise OutputError(f"{option} {path}: {d} is not a directory")
        if os.path.islink(path):
            if not self.force:
                raise OutputError(f"{option} {path}: is a symbolic link (to {os.readlink(path)}); "
                                  "add --force to replace the link with a file")
        elif os.path.isdir(path):
            raise OutputError(f"{option} {path}: is a directory")
        elif os.path.lexists(path) and not self.force:
            raise OutputError(f"{option} {path}: the file exists; add --force to replace it")
        elif os.path.lexists(path) and not os.path.isfile(path):
            raise OutputError(f"{option} {path}: is not a regular file")

    def write(self, data: str) -> None:
        """Write everything, or nothing: the temp file is renamed over the path only when complete."""
        if self.is_stdout:
            stdout = getattr(sys.stdout, "wrapped", sys.stdout)  # exact: not the CLI's SafeStream
            stdout.write(data)
            stdout.flush()
            return
        tmp = self._tmp
        assert tmp is not None
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)  # as open() would have made it (mkstemp makes 0600)
            self._check()  # again: the path may have changed while the work ran
            if self.force:
                os.replace(tmp, self.path)  # replaces a link itself, never its target
            else:
                try:
                    os.link(tmp, self.path)  # fails if the path appeared meanwhile: nothing replaced
                    os.unlink(tmp)
                except FileExistsError:
                    raise OutputError(f"{self.option} {self.path}: the file exists; add --force to replace it") from None
                except OSError:  # a file system without hard links
                    os.replace(tmp, self.path)
            self._tmp = None
        except OSError as e:
            raise OutputError(f"{self.option} {self.path}: cannot write: {e.strerror or e}") from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temp file (the work failed, or the write is done)."""
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None

    def __enter__(self) -> "OutputFile":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
