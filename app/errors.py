"""The one kind of error a clerk is shown."""

from __future__ import annotations

#: What the clerk reads when a file could not be read or written for a reason we
#: did not foresee (a full disk, a vanished USB stick); the details go to the log.
FILE_ERROR = "读写文件时出错（磁盘已满、文件夹不可写或文件被占用），操作未完成。"


class UserError(Exception):
    """Input the program refuses: ``str(err)`` is one plain Chinese sentence.

    Raised before anything is written (or inside a transaction that is then
    rolled back), so that catching it means nothing changed. The CLI turns it
    into exit code 1 and the GUI into a message box; details for the log go in
    ``detail``.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail
