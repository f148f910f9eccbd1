# Runs in Python (pytest): the Python post-processing agrees with the shared test vectors that the
# TypeScript decoder (src/shared/heatmap) is checked against too, so both sides find the same point.
import json
import os

import numpy as np

from shuttle_training.letterbox import Letterbox
from shuttle_training.postprocess import candidates_video, detect_video, sigmoid

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "heatmap", "vectors.json")


def test_python_matches_the_shared_vectors():
    vectors = json.load(open(VECTORS))["vectors"]
    assert len(vectors) >= 5
    for v in vectors:
        h = v["heatmap"]
        raw = np.full((h["height"], h["width"]), h["fill"], np.float32)
        for y, x, val in h["pixels"]:
            raw[y, x] = val
        prob = sigmoid(raw) if v["output"] == "logits" else raw
        lb = Letterbox(v["video"]["width"], v["video"]["height"], h["width"], h["height"])
        e = v["expected"]
        assert (lb.scaled_w, lb.scaled_h) == (
            e["letterbox"]["scaled_width"],
            e["letterbox"]["scaled_height"],
        ), v["name"]
        d = detect_video(prob, lb, v["threshold"])
        assert (d is not None) == e["visible"], v["name"]
        if d is not None:
            assert np.allclose(d, (e["x"], e["y"], e["confidence"]), atol=1e-5), (v["name"], d, e)


CANDIDATES = os.path.join(os.path.dirname(VECTORS), "candidates.json")


def test_candidates_match_the_shared_file_and_lead_with_detect():
    vectors = json.load(open(VECTORS))["vectors"]
    expected = {c["name"]: c["candidates"] for c in json.load(open(CANDIDATES))["candidates"]}
    assert any(len(c) > 1 for c in expected.values())
    for v in vectors:
        h = v["heatmap"]
        raw = np.full((h["height"], h["width"]), h["fill"], np.float32)
        for y, x, val in h["pixels"]:
            raw[y, x] = val
        prob = sigmoid(raw) if v["output"] == "logits" else raw
        lb = Letterbox(v["video"]["width"], v["video"]["height"], h["width"], h["height"])
        got = candidates_video(prob, lb, v["threshold"], 4)
        want = expected[v["name"]]
        assert len(got) == len(want), v["name"]
        for g, w in zip(got, want):
            assert np.allclose(g, (w["x"], w["y"], w["mass"], w["confidence"]), atol=1e-5), (v["name"], g, w)
        d = detect_video(prob, lb, v["threshold"])
        assert (d is None) == (not got), v["name"]
        if d is not None:
            assert np.allclose(d, (got[0][0], got[0][1], got[0][3]), atol=1e-9), v["name"]
