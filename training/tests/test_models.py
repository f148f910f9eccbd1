# Runs in pytest (CI). Every named architecture builds and maps [N, C, H, W] to [N, F_out, H, W].
import pytest
import torch

from shuttle_training.models import ARCHS, build_model


@pytest.mark.parametrize("arch", sorted(ARCHS))
def test_shapes(arch):
    m = build_model(arch).eval()
    cfg = m.cfg
    c = 3 * cfg.frames_in + (3 if cfg.background else 0)
    with torch.no_grad():
        y = m(torch.rand(2, c, 64, 128))
    assert y.shape == (2, cfg.frames_out, 64, 128)


def test_mmfnet_deep_supervision_outputs():
    m = build_model("mmfnet-tiny", background=True)
    m.deep_supervision = True
    outs = m.train()(torch.rand(1, 12, 64, 128))
    assert len(outs) == 4 and all(o.shape == (1, 3, 64, 128) for o in outs)


def test_unknown_arch_and_option_are_refused():
    with pytest.raises(ValueError, match="unknown architecture"):
        build_model("resnet")
    with pytest.raises(ValueError, match="no option"):
        build_model("mmfnet-tiny", width=3)


def test_losses_prefer_the_right_answer():
    from shuttle_training.loss import make_loss

    y = torch.zeros(1, 1, 8, 8)
    y[0, 0, 4, 4] = 1
    good, bad = y * 20 - 10, -y * 20 + 10
    for name in ("wbce", "focal"):
        f = make_loss(name)
        assert f(good, y) < f(torch.zeros_like(y), y) < f(bad, y)
