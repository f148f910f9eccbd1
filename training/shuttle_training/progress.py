# Runs in Python (training, evaluation). The JSON-lines progress stream on stdout: one JSON object per line,
# {"event": "step"|"epoch"|"eval"|"done"|"warning"|"start", ...}. The app's job runner parses it.
import json
import sys
import time


class Progress:
    def __init__(self, enabled=True, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stdout

    def emit(self, event, **fields):
        if not self.enabled:
            return
        rec = {"event": event, "time": round(time.time(), 3), **fields}
        self.stream.write(json.dumps(rec, default=_plain) + "\n")
        self.stream.flush()

    def warn(self, file, message):
        self.emit("warning", file=str(file), message=message)


def _plain(o):
    try:
        return float(o)
    except (TypeError, ValueError):
        return str(o)
