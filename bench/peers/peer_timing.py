"""Shared by bench/peers/*.py: the command line and the timing loop of bench/DlBook.Bench's Timing class
(warm up for half the target time and at least 3 calls, calibrate the calls per repeat to the target, time the repeats),
so the PyTorch figures are taken exactly as ours are."""
import argparse, statistics, time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--target", type=float, default=0.4, help="seconds per repeat")
    return p.parse_args()


def seconds_per_call(step, args):
    """One entry per repeat: the mean seconds of one call of step()."""
    t = time.perf_counter(); n = 0
    while time.perf_counter() - t < max(0.1, args.target / 2) or n < 3:
        step(); n += 1
    iters = max(1, int(args.target / ((time.perf_counter() - t) / n)))
    per_call = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        for _ in range(iters):
            step()
        per_call.append((time.perf_counter() - t) / iters)
    return per_call


def row(name, unit, items_per_call, per_call, repeats):
    """The JSON row the run-*-vs-torch.sh scripts read: rates as median/min/max, plus the median µs per call."""
    rates = sorted(items_per_call / s for s in per_call)
    return dict(workload=name, unit=unit, median=statistics.median(rates), min=rates[0], max=rates[-1],
                median_us=statistics.median(per_call) * 1e6, repeats=repeats)
