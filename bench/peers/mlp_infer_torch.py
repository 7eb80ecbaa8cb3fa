#!/usr/bin/python3
"""PyTorch inference of the book's [784,30,10] sigmoid MLP at the batches of the ONNX scoring table (1, 32, 256, 10,000),
timed like bench/DlBook.Bench (warm-up, calibrated iterations, median of repeats), on the 10,000 MNIST-sized inputs.

Usage: /usr/bin/python3 bench/peers/mlp_infer_torch.py [--out FILE] [--repeats N] [--threads N]
Run it with OpenBLAS's OpenMP build: env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
"""
import argparse, json, statistics, time
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--out", default="")
p.add_argument("--repeats", type=int, default=7)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--target", type=float, default=0.4, help="seconds per repeat")
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

# network2's [784,30,10]: W ~ N(0, 1/n_in), b ~ N(0, 1), sigmoid at every layer (the output's sigmoid is the Score).
model = nn.Sequential(nn.Linear(784, 30), nn.Sigmoid(), nn.Linear(30, 10), nn.Sigmoid())
for m in model:
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.0, m.in_features ** -0.5)
        nn.init.normal_(m.bias, 0.0, 1.0)
model.eval()
X = torch.rand(10000, 784)

results = []
for batch in (1, 32, 256, 10000):
    x = X[:batch].contiguous()
    def step():
        with torch.inference_mode():
            model(x)
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
    rates = sorted(batch / s for s in per_call)
    r = dict(workload=f"torch infer [784,30,10] batch {batch}", unit="samples/s", median=statistics.median(rates),
             min=rates[0], max=rates[-1], median_us=statistics.median(per_call) * 1e6, repeats=args.repeats)
    results.append(r)
    print(f"| {r['workload']} | samples/s | {r['median']:.0f} | {r['min']:.0f} | {r['max']:.0f} | {r['median_us']:.2f} |")

if args.out:
    json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), results=results), open(args.out, "w"), indent=1)
