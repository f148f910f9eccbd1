# Runs in pytest (CI). The weight average of checkpoints (shuttle_training.soup): the averaged tensors, what
# is taken from the first parent, and the refusals (other networks, bad weights) with a message, not a
# traceback.
import json

import pytest
import torch

from shuttle_training import checkpoint, soup
from shuttle_training.models import build_model


def saved_model(path, seed, **overrides):
    torch.manual_seed(seed)
    model = build_model("mmfnet-tiny", **{"background": True, **overrides})
    model.arch_name = "mmfnet-tiny"
    with torch.no_grad():  # BatchNorm statistics that differ between the two, so they are averaged too
        for name, t in model.state_dict().items():
            if t.is_floating_point() and "running" in name:
                t.uniform_(0.5, 1.5)
    checkpoint.save(str(path), model, train_fps=30.0, args={"train": ["some/root"]})
    return model.state_dict()


def test_a_soup_averages_every_floating_tensor_and_loads_as_the_same_network(tmp_path, capsys):
    a = saved_model(tmp_path / "a.pt", 1)
    b = saved_model(tmp_path / "b.pt", 2)
    out = tmp_path / "soup.pt"
    soup.main([str(tmp_path / "a.pt"), str(tmp_path / "b.pt"), "--out", str(out), "--weights", "0.25,0.75"])
    event = json.loads(capsys.readouterr().out)
    assert event["weights"] == [0.25, 0.75] and len(event["parents"]) == 2

    model, ck = checkpoint.load_model(str(out))
    got = model.state_dict()
    floats = [n for n, t in a.items() if t.is_floating_point()]
    assert any("running_var" in n for n in floats)
    assert sum(not torch.equal(a[n], b[n]) for n in floats) > len(floats) // 2  # the parents differ
    for name in floats:
        torch.testing.assert_close(got[name], 0.25 * a[name] + 0.75 * b[name], rtol=1e-6, atol=1e-6)
    for name in (n for n, t in a.items() if not t.is_floating_point()):
        assert torch.equal(got[name], a[name])
    assert ck["train_fps"] == 30.0 and ck["args"] == {"train": ["some/root"]}
    assert not (tmp_path / "soup.pt.tmp").exists()


def test_equal_weights_by_default():
    assert soup.parse_weights(None, 4) == [0.25] * 4


@pytest.mark.parametrize(
    "text, message",
    [("0.5", "gives 1 weights for 2"), ("0.7,0.7", "sum to 1"), ("1.5,-0.5", "positive"), ("a,b", "numbers")],
)
def test_bad_weights_are_refused_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        soup.parse_weights(text, 2)


def test_checkpoints_of_other_networks_are_refused(tmp_path, capsys):
    saved_model(tmp_path / "a.pt", 1)
    saved_model(tmp_path / "b.pt", 2, background=False)
    with pytest.raises(SystemExit):
        soup.main([str(tmp_path / "a.pt"), str(tmp_path / "b.pt"), "--out", str(tmp_path / "s.pt")])
    assert "mmfnet-tiny" in capsys.readouterr().err
    assert not (tmp_path / "s.pt").exists()


def test_one_checkpoint_is_not_a_soup(tmp_path, capsys):
    saved_model(tmp_path / "a.pt", 1)
    with pytest.raises(SystemExit):
        soup.main([str(tmp_path / "a.pt"), "--out", str(tmp_path / "s.pt")])
    assert "at least two" in capsys.readouterr().err


def test_a_missing_or_foreign_file_is_refused_with_its_name(tmp_path, capsys):
    saved_model(tmp_path / "a.pt", 1)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    for bad in ("missing.pt", "junk.pt", "other.pt"):
        with pytest.raises(SystemExit):
            soup.main([str(tmp_path / "a.pt"), str(tmp_path / bad), "--out", str(tmp_path / "s.pt")])
        assert bad in capsys.readouterr().err
    assert not (tmp_path / "s.pt").exists()
