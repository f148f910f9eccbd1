# Runs in Python (pytest): a run started with SHUTTLE_EXIT_WITH_PARENT=1 stops when its parent's end of stdin
# closes (as when the studio is killed), and keeps running while it stays open.
import os
import signal
import subprocess
import sys
import textwrap
import time

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from shuttle_training.parent_watch import exit_with_parent
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(1))
    print("watching" if exit_with_parent(grace_s=5) else "not watching", flush=True)
    for _ in range(200):
        if stopped:
            print("stopped gracefully", flush=True)
            sys.exit(0)
        time.sleep(0.05)
    print("still running", flush=True)
    """
)


def start(env_value):
    env = {**os.environ, "PYTHONPATH": PACKAGE_DIR, "SHUTTLE_EXIT_WITH_PARENT": env_value}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
    )


def test_stops_when_the_parents_pipe_closes():
    child = start("1")
    assert child.stdout.readline().strip() == "watching"
    time.sleep(0.2)
    assert child.poll() is None  # the pipe is open: it keeps running
    child.stdin.close()  # what a killed parent's exit does to the pipe
    assert child.wait(timeout=20) == 0
    assert "stopped gracefully" in child.stdout.read()


def test_a_run_that_ends_by_itself_exits_cleanly_while_watching():
    env = {**os.environ, "PYTHONPATH": PACKAGE_DIR, "SHUTTLE_EXIT_WITH_PARENT": "1"}
    code = "from shuttle_training.parent_watch import exit_with_parent; exit_with_parent(); print('done')"
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    # The parent keeps its end open while the child finishes on its own: no abort at interpreter shutdown.
    assert child.wait(timeout=20) == 0
    assert child.stdout.read().strip() == "done"
    assert "Fatal" not in child.stderr.read()
    child.stdin.close()


def test_off_unless_asked():
    child = start("0")
    assert child.stdout.readline().strip() == "not watching"
    child.stdin.close()
    time.sleep(0.3)
    assert child.poll() is None  # a closed stdin alone does not stop it
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=20) == 0
    assert "stopped gracefully" in child.stdout.read()
