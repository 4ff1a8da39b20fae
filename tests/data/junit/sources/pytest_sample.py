import pytest


def test_passes():
    assert 1 + 1 == 2


def test_fails():
    assert "actual" == "expected", "values differ & <mismatch>"


@pytest.fixture
def broken_fixture():
    raise RuntimeError("fixture setup exploded")


def test_errors_in_setup(broken_fixture):
    assert True


@pytest.mark.skip(reason="not supported on this platform")
def test_skipped():
    pass


@pytest.mark.parametrize("n", [1, 2, 3])
def test_param(n):
    assert n < 3


class TestGroup:
    def test_same_name(self):
        pass


class TestOther:
    def test_same_name(self):
        pass


@pytest.mark.xfail(reason="known bug")
def test_xfail():
    assert False
