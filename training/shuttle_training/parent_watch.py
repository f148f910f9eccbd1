# Runs in Python (training, adaptation). Ends a run whose parent is gone. The studio starts training with a
# pipe on stdin that it never writes to; when the studio exits in any way, a SIGKILL included, the pipe closes
# and stdin reads end-of-file. Without this, a killed studio would leave a child training for hours on a
# laptop.
import os
import signal
import sys
import threading

ENV = "SHUTTLE_EXIT_WITH_PARENT"


def exit_with_parent(grace_s=120.0, fd=None):
    """Where the parent asked for it (SHUTTLE_EXIT_WITH_PARENT=1, stdin a pipe it holds), watch stdin in a
    daemon thread: at end-of-file send ourselves SIGTERM, so the run stops as on a user's Stop (the model
    learned so far is kept), and exit for good if that has not finished within grace_s seconds. Returns
    whether the watch started."""
    if os.environ.get(ENV) != "1":
        return False
    fd = sys.stdin.fileno() if fd is None else fd

    def watch():
        # os.read on the descriptor, not sys.stdin: a daemon thread blocked inside the buffered reader holds
        # its lock, and the interpreter aborts ("could not acquire lock ... at interpreter shutdown") when the
        # run ends normally while the pipe is still open.
        try:
            while os.read(fd, 4096):
                pass
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Event().wait(grace_s)
        os._exit(130)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    return True
