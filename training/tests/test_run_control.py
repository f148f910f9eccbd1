# Runs in pytest (CI). The learning-rate schedule and the graceful stop shared by training and adaptation
# (shuttle_training.run_control): the schedule's shape, and what the first and a second signal do.
import os
import signal

import pytest

from shuttle_training.run_control import StopRequest, lr_at


def test_schedule_warms_up_then_decays_to_five_percent_and_holds():
    base = 1e-3
    assert lr_at(base, 0.0, 0.1) == pytest.approx(0.05 * base)  # never zero on the first step
    assert lr_at(base, 0.05, 0.1) == pytest.approx(0.5 * base)
    assert lr_at(base, 0.1, 0.1) == pytest.approx(base)
    assert lr_at(base, 0.55, 0.1) == pytest.approx(0.525 * base)  # half way down the cosine
    assert lr_at(base, 1.0, 0.1) == pytest.approx(0.05 * base)
    assert lr_at(base, 1.7, 0.1) == pytest.approx(0.05 * base)  # a run past its budget stays at the floor
    decay = [lr_at(base, p / 20, 0.1) for p in range(2, 21)]
    assert all(a >= b for a, b in zip(decay, decay[1:]))


def test_first_signal_asks_second_means_now_restore_puts_back():
    before = signal.getsignal(signal.SIGTERM)
    stop = StopRequest()
    try:
        assert not stop()
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop() and stop.requested
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    finally:
        stop.restore()
    assert signal.getsignal(signal.SIGTERM) is before


def test_without_second_means_now_a_second_signal_is_the_same_request():
    stop = StopRequest(second_means_now=False)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop()
    finally:
        stop.restore()
