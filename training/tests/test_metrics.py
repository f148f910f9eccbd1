# Runs in pytest (CI). The TrackNet metrics and the heatmap post-processing against hand-computed fixtures.
import numpy as np
import pytest

from shuttle_training.letterbox import Letterbox
from shuttle_training.metrics import Counts
from shuttle_training.postprocess import components, detect, detect_video


def test_counts_hand_computed():
    c = Counts()
    tol = 10.0
    c.add((100, 100), True, (106, 108), tol)  # distance 10 -> TP (within means <= tol)
    c.add((100, 100), True, (107, 108), tol)  # distance 10.63 -> FP1
    c.add((5, 5), False, (0, 0), tol)  # predicted, not labelled -> FP2
    c.add(None, True, (50, 50), tol)  # missed -> FN
    c.add(None, False, (0, 0), tol)  # TN
    c.add(None, False, (0, 0), tol)  # TN
    c.add((50, 50), True, (50, 50), tol)  # TP
    s = c.summary()
    assert (s["tp"], s["fp1"], s["fp2"], s["fn"], s["tn"], s["frames"]) == (2, 1, 1, 1, 2, 7)
    assert s["precision"] == pytest.approx(2 / 4)
    assert s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert s["accuracy"] == pytest.approx(4 / 7)


def test_empty_counts_do_not_divide_by_zero():
    assert Counts().summary()["f1"] == 0.0


def test_tolerances():
    assert Letterbox(1280, 720).tolerance(4.0) == pytest.approx(10.0)
    assert Letterbox(1920, 1080).tolerance(4.0) == pytest.approx(15.0)


def test_letterbox_round_trip_and_padding():
    lb = Letterbox(1280, 720)
    assert (lb.scaled_w, lb.scaled_h) == (512, 288)
    assert lb.to_model(0, 0) == pytest.approx((-0.3, -0.3))
    assert lb.to_video(*lb.to_model(640.0, 360.0)) == pytest.approx((640.0, 360.0))
    sq = Letterbox(640, 480)  # 4:3 -> 384x288, padded on the right
    assert (sq.scaled_w, sq.scaled_h) == (384, 288)
    assert sq.ffmpeg_filter() == "scale=384:288:flags=bilinear,pad=512:288:0:0:black"


def test_components_8_connected_in_raster_order():
    m = np.zeros((6, 8), bool)
    m[0, 0] = m[1, 1] = True  # diagonal neighbours: one blob
    m[0, 3:5] = True
    m[3, 6] = m[4, 5] = True  # anti-diagonal: one blob
    m[5, 0:3] = True
    blobs = [(list(y), list(x)) for y, x in components(m)]
    assert [sorted(zip(y, x)) for y, x in blobs] == [
        [(0, 0), (1, 1)],
        [(0, 3), (0, 4)],
        [(3, 6), (4, 5)],
        [(5, 0), (5, 1), (5, 2)],
    ]


def test_detect_picks_largest_summed_blob_and_weighted_centroid():
    p = np.zeros((20, 30), np.float32)
    p[2, 2] = 0.99  # one very confident pixel: sum 0.99
    p[10, 10:13] = [0.6, 0.8, 0.6]  # sum 2.0 -> wins
    p[11, 11] = 0.5  # >= threshold counts
    x, y, conf = detect(p, 0.5)
    w = np.array([0.6, 0.8, 0.6, 0.5])
    assert x == pytest.approx((w * [10, 11, 12, 11]).sum() / w.sum())
    assert y == pytest.approx((w * [10, 10, 10, 11]).sum() / w.sum())
    assert conf == pytest.approx(0.8)
    assert detect(np.full((4, 4), 0.49, np.float32), 0.5) is None


def test_detect_video_undoes_letterbox():
    p = np.zeros((288, 512), np.float32)
    p[100, 200] = 0.9
    x, y, _ = detect_video(p, Letterbox(1280, 720))
    assert (x, y) == pytest.approx(((200 + 0.5) / 0.4 - 0.5, (100 + 0.5) / 0.4 - 0.5))
