#!/usr/bin/python3
"""torch.mm on the book's three batch-10 Dense-layer products, timed like bench/DlBook.Bench's gemm workload.

  y  = x · Wᵀ   (10×784)·(784×30)   forward       (W stored 30×784, passed as a transposed view)
  dW = δᵀ · x   (30×10)·(10×784)    weight grad   (δ stored 10×30, passed as a transposed view)
  dx = δ · W    (10×30)·(30×784)    input grad

Usage: /usr/bin/python3 bench/peers/skinny_torch.py [--out FILE] [--repeats N] [--threads N]
Run it with OpenBLAS's OpenMP build: env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
"""
import json
import torch
from peer_timing import parse_args, row, seconds_per_call

args = parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

x, W, d = torch.rand(10, 784), torch.rand(30, 784), torch.rand(10, 30)
out_y, out_dw, out_dx = torch.empty(10, 30), torch.empty(30, 784), torch.empty(10, 784)
shapes = [
    ("gemm x·Wᵀ (10×784)·(784×30)", lambda: torch.mm(x, W.t(), out=out_y), 10 * 30 * 784),
    ("gemm δᵀ·x (30×10)·(10×784)", lambda: torch.mm(d.t(), x, out=out_dw), 30 * 784 * 10),
    ("gemm δ·W (10×30)·(30×784)", lambda: torch.mm(d, W, out=out_dx), 10 * 784 * 30),
]

results = []
for name, step, macs in shapes:
    r = row(name, "GFLOP/s", 2 * macs / 1e9, seconds_per_call(step, args), args.repeats)
    results.append(r)
    print(f"| {name} | GFLOP/s | {r['median']:.1f} | {r['min']:.1f} | {r['max']:.1f} | {r['median_us']:.2f} |")

if args.out:
    json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), results=results), open(args.out, "w"), indent=1)
