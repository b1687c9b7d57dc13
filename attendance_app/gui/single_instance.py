"""One window per data folder, as desktop programs do: starting the app a second time
brings the running window to the front instead of refusing (issue 27 point 4).

The running window listens on a local socket (a Unix socket, a named pipe on Windows)
whose name is made of the user and the data folder, so another user's window or one on
another data folder is never disturbed. A second start connects to it first: if someone
answers, it asks for the front and exits. Only a window listens: a `run --headless` on
the same folder answers nothing, and the second start then meets the data folder's lock
(app/instance_lock.py) and says who holds it, as before.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

ASK = b"front\n"
ANSWER = b"ok\n"
WAIT_MS = 2000


def server_name(data_dir: Path) -> str:
    """The socket's name for this user and data folder (short: a Unix socket's path is
    limited to about 100 bytes)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name (a container without /etc/passwd entry)
        user = str(Path.home())
    key = f"{user}\0{data_dir.expanduser().resolve()}".encode()
    return f"attendance-app-{hashlib.sha256(key).hexdigest()[:16]}"


def bring_running_to_front(name: str, wait_ms: int = WAIT_MS) -> bool:
    """Ask the window listening on `name` to come to the front; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(wait_ms):
        return False
    try:
        socket.write(ASK)
        socket.flush()
        if not socket.waitForReadyRead(wait_ms):
            return False
        return bytes(socket.readAll().data()).startswith(ANSWER)
    finally:
        socket.disconnectFromServer()


def raise_window(window: QWidget) -> None:
    """Show `window` in front: restored if minimised, kept maximised if it was, and
    active (the window manager may only flash it in the taskbar, which also says it)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class FrontDoor(QObject):
    """The running window's end of the socket: each second start's request raises
    `window`. Listen only while holding the data folder's lock: a socket file left by a
    window that crashed is removed first, which is safe only then."""

    def __init__(self, name: str, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.asked = 0  # how many second starts asked for the front
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)
        self.listening = self.server.listen(name)
        self.server.newConnection.connect(self._take_connections)

    def _take_connections(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda socket=socket: self._answer(socket))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._answer(socket)

    def _answer(self, socket: QLocalSocket) -> None:
        if not bytes(socket.readAll().data()).startswith(ASK):
            socket.disconnectFromServer()
            return
        self.asked += 1
        raise_window(self.window)
        socket.write(ANSWER)
        socket.flush()

    def close(self) -> None:
        """Stop listening (the window is closing): a start from now on opens a window."""
        self.server.close()
