"""What sharing potentials costs, computed apart from mdexafs: two
FEFF chi.dat files compared with numpy and scipy as mdexafs feff --check
says it compares them (k^2 over k 3 to 14): the worst raw difference over
the largest |k^2 chi| of the full run, and the R-factor left after the
best E0 shift (k' = sqrt(k^2 - e0 ETOK), scipy's not-a-knot cubic spline
of the shared run) and amplitude (least squares)."""
import numpy
from scipy.interpolate import CubicSpline
from scipy.optimize import minimize_scalar

ETOK = 1 / 3.8099821161548597   # xraylarch's, eV -> 1/A^2


def compare(shared_chidat, full_chidat, kmin=3.0, kmax=14.0, kweight=2):
    """(raw, rfactor, e0, amplitude) of the shared run against the full one."""
    shared = numpy.loadtxt(shared_chidat)
    full = numpy.loadtxt(full_chidat)
    inside = (full[:, 0] >= kmin - 1e-9) & (full[:, 0] <= kmax + 1e-9)
    k = full[inside, 0]
    data = k**kweight * full[inside, 1]
    spline = CubicSpline(shared[:, 0], shared[:, 1])
    raw = numpy.max(numpy.abs(k**kweight * spline(k) - data)) / numpy.max(numpy.abs(data))

    def fit(e0):
        model = k**kweight * spline(numpy.sqrt(k**2 - e0 * ETOK))
        amplitude = model @ data / (model @ model)
        return numpy.sum((amplitude * model - data)**2) / numpy.sum(data**2), amplitude

    grid = numpy.arange(-20, 20.0001, 0.05)
    start = grid[numpy.argmin([fit(e0)[0] for e0 in grid])]
    best = minimize_scalar(lambda e0: fit(e0)[0], bounds=(start - 0.05, start + 0.05),
                           method="bounded", options={"xatol": 1e-10}).x
    rfactor, amplitude = fit(best)
    return raw, rfactor, best, amplitude
