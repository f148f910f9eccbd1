# Runs in Python (adaptation, `python -m shuttle_training.adapt --replay DIR`). Replay of the original
# domain: the clips of a TrackNet-layout folder (synthetic rallies from `shuttle-studio synth`, made on the
# user's machine) whose every labelled row is a training target, mixed into the adaptation batches so that a
# few hundred steps on one camera do not re-fit the whole network to it. Replay clips are never scored and
# never searched for confusers: the held-back F1 stays the user's own.
import os

from .adapt_data import BAD_MANIFEST, BAD_VIDEO, AdaptError, load_clip
from .dataset import find_pairs
from .labels import LabelError, read_labels
from .video import VideoError, probe


def load_replay(root, base, cache_dir, frames_in, max_frames=600):
    """-> the replay clips of `root` (decoded once into cache_dir), with at most `max_frames` labelled
    rows in all, taken from the clips in order; refuses a folder with no labelled clip."""
    if not os.path.isdir(root):
        raise AdaptError(BAD_MANIFEST, f"replay folder {root} does not exist")
    clips, left = [], max_frames
    for video, csv_path, name in find_pairs(root):
        if csv_path is None or left <= 0:
            continue
        try:
            w, h = probe(video)
            vis, xy = read_labels(csv_path, w, h)  # either TrackNet header, in video pixels
        except VideoError as e:
            raise AdaptError(BAD_VIDEO, f"replay clip {name}: {e}")
        except LabelError as e:
            raise AdaptError(BAD_MANIFEST, f"replay clip {name}: {e}")
        n = min(left, len(vis))
        if n == 0:
            continue
        train = {f: (int(vis[f] > 0), float(xy[f, 0]), float(xy[f, 1])) for f in range(n)}
        match, clip = name.split("/", 1)
        entry = dict(video=video, match=f"replay:{match}", clip=clip, width=w, height=h, train=train, held={})
        clips.append(load_clip(entry, base, cache_dir, frames_in))
        left -= n
    if not any((c.tvis == 1).any() for c in clips):
        raise AdaptError(BAD_MANIFEST, f"replay folder {root} has no labelled clip showing the shuttle")
    return clips
