"""kg.threads: a value computed in a thread of its own, and a library pinned to one thread."""

from __future__ import annotations

import threading

import pytest

from kg.threads import Result, single_thread


def test_a_result_is_computed_beside_the_caller_and_waited_for():
    release = threading.Event()
    result = Result(lambda: (release.wait(5), threading.current_thread().name)[1], name="budgetkg-test")
    release.set()
    assert result.get() == "budgetkg-test"


def test_a_result_raises_its_error_in_the_caller():
    def fail():
        raise ValueError("bad model file")

    with pytest.raises(ValueError, match="bad model file"):
        Result(fail).get()


def test_single_thread_puts_back_the_count():
    count = [4]
    with single_thread(lambda: count[0], lambda n: count.__setitem__(0, n)):
        assert count == [1]
    assert count == [4]
