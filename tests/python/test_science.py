"""Path parameters at query time and chi(R), from Python, against
xraylarch's goldens (tests/tools/larch_goldens.py)."""
import os

import numpy
import pytest

import mdexafs
from conftest import REFERENCE, SCIENCE, TREE, columns

# The parameter sets of larch_goldens.py, in mdexafs's words.
SETS = {
    "uniform": dict(s02=0.85, e0=3.1, sigma2=0.0045, deltar=0.012, c3=0.0002,
                    fourth=0.00004, ei=0.7),
    "by_type": dict(s02=0.9, e0=1.5,
                    sigma2={"U-O": 0.003, "U-U": 0.004, "*": 0.006}),
    "function": dict(sigma2=lambda p: 0.003 if p.nleg == 2 else 0.006,
                     deltar=lambda p: 0.01 * p.reff),
}

# The xftf cases of larch_goldens.py.
XFTF = {
    "kaiser_kw2": dict(kweight=2, kmin=3, kmax=14, dk=1, window="kaiser"),
    "hanning_kw3": dict(kweight=3, kmin=2.5, kmax=15, dk=2, window="hanning"),
    "sine_kw1": dict(kweight=1, kmin=2, kmax=12, dk=1.5, window="sine"),
    "parzen_kw2": dict(kweight=2, kmin=3, kmax=13, dk=2, window="parzen"),
    "welch_kw2": dict(kweight=2, kmin=3, kmax=13, dk=2, window="welch"),
    "gaussian_kw2": dict(kweight=2, kmin=3, kmax=13, dk=3, window="gaussian"),
    "fhanning_kw2": dict(kweight=2, kmin=3, kmax=13, dk=0.2,
                         window="fhanning"),
    "bessel_kw2": dict(kweight=2, kmin=3, kmax=13, dk=2.5, window="bessel"),
    "kaiser_dk2_kw0": dict(kweight=0, kmin=4, kmax=16, dk=3, dk2=1,
                           window="kaiser", rmax_out=6, nfft=4096),
}


@pytest.mark.parametrize("kind", ["database", "files"])
@pytest.mark.parametrize("name", sorted(SETS))
def test_params_match_xraylarch(db, kind, name):
    want = columns(os.path.join(SCIENCE, "params_%s.txt" % name))
    src = mdexafs.open(db if kind == "database" else TREE)
    sums = src.select(reff=4.5, params=SETS[name]).sums()
    assert len(sums) == 4
    for i, r in enumerate(sums):
        assert numpy.max(numpy.abs(r.chi - want[i + 1])) < 1e-10
    plain = src.select(reff=4.5).sums()  # and they do change the result
    assert numpy.max(numpy.abs(plain[0].chi - want[1])) > 1e-4


@pytest.mark.parametrize("name", sorted(XFTF))
def test_xftf_matches_xraylarch(name):
    k, chi = columns(os.path.join(REFERENCE, "mix_file.dat"))[:2]
    want = columns(os.path.join(SCIENCE, "xftf_%s.txt" % name))
    ft = mdexafs.Result(k, chi).xftf(**XFTF[name])
    assert len(ft) == len(want[0])
    assert numpy.max(numpy.abs(ft.r - want[0])) < 1e-12
    peak = want[3].max()
    for i, field in enumerate(("chir_re", "chir_im", "chir_mag")):
        assert numpy.max(numpy.abs(getattr(ft, field) - want[i + 1])) \
            < 1e-10 * peak, field


def test_xftf_of_an_average_and_its_file(db, tmp_path):
    avg = mdexafs.open(db).select(types=["U-O", "U-U", "U-O-O"], reff=5.0,
                                  frames=(500, 519)).average()
    ft = avg.xftf(kweight=2, kmin=3, kmax=14, dk=1, window="kaiser")
    want = columns(os.path.join(SCIENCE, "xftf_kaiser_kw2.txt"))
    # the golden transformed the %.6f file: the same within its rounding
    assert numpy.max(numpy.abs(ft.chir_mag - want[3])) < 1e-4 * want[3].max()
    ft.write(tmp_path / "r.dat", xdi=True)
    text = (tmp_path / "r.dat").read_text()
    assert text.startswith("# XDI/1.0") and "Element.symbol: U" in text
    got = numpy.loadtxt(tmp_path / "r.dat").T
    assert numpy.allclose(got[3], ft.chir_mag, rtol=1e-6, atol=1e-12)


def test_by_type_adds_up_to_the_average(db):
    sel = mdexafs.open(db).select(reff=4.0)
    shares = sel.by_type()
    assert {"U-O", "U-U", "U-O-O"} <= set(shares)
    total = sum(r.chi for r in shares.values())
    avg = sel.average()
    assert numpy.max(numpy.abs(total - avg.chi)) < 1e-15 * len(shares) + \
        1e-12 * numpy.max(numpy.abs(avg.chi))
    assert sum(r.npaths for r in shares.values()) == avg.npaths


def test_to_larch_gives_a_group_larch_transforms(db):
    """xraylarch's xftf of the group and ours: the same arrays under the
    same names (chir_pha with larch's with_phase)."""
    import larch
    from larch.xafs import xftf
    avg = mdexafs.open(db).select(types={"U-O": 3.0}).average()
    group = avg.to_larch()
    assert numpy.array_equal(group.k, avg.k)
    xftf(group, kweight=2, kmin=3, kmax=14, dk=1, window="kaiser",
         with_phase=True, _larch=larch.Interpreter())
    ours = avg.xftf(kweight=2, kmin=3, kmax=14, dk=1, window="kaiser")
    n, peak = len(ours), ours.chir_mag.max()
    assert numpy.array_equal(group.r[:n], ours.r)
    for name in ("chir", "chir_mag", "chir_re", "chir_im"):
        assert numpy.max(numpy.abs(getattr(group, name)[:n]
                                   - getattr(ours, name))) < 1e-10 * peak, name
    assert numpy.max(numpy.abs(group.chir_pha[:n] - ours.chir_pha)) < 1e-8
    assert numpy.max(numpy.abs(group.kwin - ours.kwin)) < 1e-12
    assert ours.chir.dtype == complex and len(ours.kwin) == len(avg.k)
