"""The cancel token (a flag, its event made by the first ``wait``) and the Ctrl-C handler."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from photoscan.cancel import CancelToken, ctrl_c_cancels


def test_a_token_is_a_flag_until_waited_on() -> None:
    token = CancelToken()
    assert not token.is_cancelled and not token.wait(0.01)
    token.cancel()
    assert token.is_cancelled and token.wait(5)
    early = CancelToken()
    early.cancel()
    assert early.wait(5)  # cancelled before anything waited: the new event is set at once


def test_wait_wakes_at_once_on_a_cancel_from_another_thread() -> None:
    token = CancelToken()
    woke: list[bool] = []
    waiters = [threading.Thread(target=lambda: woke.append(token.wait(30))) for _ in range(4)]
    for waiter in waiters:
        waiter.start()
    time.sleep(0.05)
    started = time.monotonic()
    token.cancel()
    for waiter in waiters:
        waiter.join(10)
    assert woke == [True] * 4 and time.monotonic() - started < 5


def test_the_first_ctrl_c_cancels_the_second_aborts() -> None:
    before = signal.getsignal(signal.SIGINT)
    token = CancelToken()
    with ctrl_c_cancels(token):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)  # the handler runs between byte codes
        assert token.is_cancelled
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)
    assert signal.getsignal(signal.SIGINT) is before


def test_off_the_main_thread_signals_are_left_alone() -> None:
    done: list[bool] = []

    def run() -> None:
        with ctrl_c_cancels(CancelToken()):
            done.append(True)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    assert done == [True]
