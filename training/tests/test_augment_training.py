# Runs in pytest (CI). Hard negatives and the training flags: mining finds the model's firing far from the
# labels and ignores it on the label, the sampler crops around what was mined, and train.py runs with every
# augmentation and hard negatives on the tiny model; out-of-range flags are refused.
import json
import random

import numpy as np
import pytest
import torch

from shuttle_training import train
from shuttle_training.augment import AugmentConfig, make_labelled_sample
from shuttle_training.augment_options import PROBABILITIES
from shuttle_training.hard_negatives import HardNegativeSampler, mine
from test_augment import dot_clip


class FixedHeatmaps(torch.nn.Module):
    """A stand-in network whose heatmaps are given: frame f of the clip fires at spots[f] (a list of (x, y)),
    whatever the input. Windows are found from the input by matching frames of the clip."""

    def __init__(self, clip, spots):
        super().__init__()
        self.cfg = type("Cfg", (), {"frames_in": 3, "frames_out": 3})()
        self.clip, self.spots = clip, spots
        self.frames = torch.from_numpy(np.asarray(clip.frames)).permute(0, 3, 1, 2).float() / 255

    def forward(self, x):
        out = torch.full((x.shape[0], 3, x.shape[2], x.shape[3]), -8.0)
        yy, xx = torch.meshgrid(torch.arange(x.shape[2]), torch.arange(x.shape[3]), indexing="ij")
        for b in range(x.shape[0]):
            first = x[b, 0:3]
            start = int(((self.frames - first[None]).abs().flatten(1).sum(1)).argmin())
            for j in range(3):
                for sx, sy in self.spots.get(start + j, []):
                    out[b, j] = torch.maximum(out[b, j], 6 - ((xx - sx) ** 2 + (yy - sy) ** 2).float())
        return out


def test_mining_keeps_firing_far_from_labels_and_ignores_the_shuttle():
    positions = [(100.0 + 20 * i, 80.0 + 5 * i) for i in range(6)]
    clip = dot_clip(positions)
    clip.vis = clip.vis.copy()
    clip.vis[4] = 0  # no shuttle in frame 4: anything there is false
    spots = {f: [positions[f]] for f in range(6)}  # the model finds the shuttle in every frame...
    spots[2] = [positions[2], (400.0, 200.0)]  # ...and a shoe in frame 2
    spots[4] = [(50.0, 250.0)]
    found = mine(FixedHeatmaps(clip, spots), [clip], "cpu", windows=4, threshold=0.3, min_distance=12.0)
    where = sorted({(h.frame, round(h.x), round(h.y)) for h in found})
    assert where == [(2, 400, 200), (4, 50, 250)]
    assert all(0.3 <= h.peak <= 1 for h in found)


class OneWindowSampler:
    def __init__(self, clip, rng):
        self.roots, self.window, self.rng, self.clip = [([clip], 1.0, None)], 3, rng, clip

    def __len__(self):
        return 1

    def draw(self):
        return self.clip, 0, 1


def test_the_sampler_crops_around_what_was_mined():
    # A bright unlabelled spot (a shuttle on the floor) at (450, 40) in every frame; the labelled shuttle
    # elsewhere. A hard-negative draw's crop must contain the spot, with an empty target there.
    positions = [(60.0, 250.0), (70.0, 245.0), (80.0, 240.0), (90.0, 235.0), (100.0, 230.0)]
    clip = dot_clip(positions)
    frames = np.array(clip.frames)
    frames[:, 38:43, 448:453] = 255
    clip.frames = frames
    rng = random.Random(0)
    sampler = HardNegativeSampler(OneWindowSampler(clip, rng), p=1.0)
    spots = {f: [positions[f], (450.0, 40.0)] for f in range(5)}
    sampler.negatives = mine(FixedHeatmaps(clip, spots), [clip], "cpu", windows=3)
    assert {(round(h.x), round(h.y)) for h in sampler.negatives} == {(450, 40)}
    cfg = AugmentConfig(crop_h=64, crop_w=128, scale_jitter=0.0, flip_p=0.0, colour_jitter=0.0)
    for _ in range(10):
        clip_, start, spacing, focus = sampler.draw()
        assert clip_ is clip and spacing == 1 and 0 <= start <= len(clip) - 3
        x, y, c, vis = make_labelled_sample(clip, start, 3, 3, cfg, rng, True, focus=focus)
        assert x.reshape(4, 3, 64, 128)[0].mean(0).max() > 0.95  # the spot is in the crop
        assert not vis.any() and y.sum() == 0  # and the shuttle, far away, is not


def test_training_runs_with_every_augmentation_and_hard_negatives(
    synth_root, val_root, cache_dir, tmp_path, capsys
):
    every = [a for flag in PROBABILITIES for a in (f"--{flag}", "1")]
    args = [
        "--arch", "mmfnet-tiny", "--background", "--train", str(synth_root), "--val", str(val_root),
        "--out", str(tmp_path / "run"), "--cache", str(cache_dir), "--crop", "64x128", "--batch", "2",
        "--epochs", "2", "--steps-per-epoch", "1", "--log-every", "1", "--threads", "2", "--eval-every", "2",
        "--camera-aug", *every,
        "--hard-negatives", "0.5", "--hard-mine-every", "1", "--hard-mine-windows", "4",
    ]  # fmt: skip
    capsys.readouterr()
    train.main(args)
    ev = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    kinds = [e["event"] for e in ev]
    assert kinds.count("hard_negatives") == 2  # at the start, and again after the first epoch
    assert kinds.count("step") == 2 and kinds[-1] == "done"
    assert all(np.isfinite(e["loss"]) for e in ev if e["event"] == "step")
    assert (tmp_path / "run" / "best.pt").exists()


@pytest.mark.parametrize(
    "flags",
    [["--rotate90-p", "1.5"], ["--hard-negatives", "-0.1"], ["--zoom-max", "0.5"], ["--hard-threshold", "1"]],
)
def test_out_of_range_flags_are_refused(flags, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--train", "t", "--val", "v", "--out", str(tmp_path), *flags])
    assert e.value.code == 2
    assert flags[0] in capsys.readouterr().err
