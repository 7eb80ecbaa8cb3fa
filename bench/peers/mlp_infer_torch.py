#!/usr/bin/python3
"""PyTorch inference of the book's [784,30,10] sigmoid MLP at the batches of the ONNX scoring table (1, 32, 256, 10,000),
timed like bench/DlBook.Bench (warm-up, calibrated iterations, median of repeats), on the 10,000 MNIST-sized inputs.

Usage: /usr/bin/python3 bench/peers/mlp_infer_torch.py [--out FILE] [--repeats N] [--threads N]
Run it with OpenBLAS's OpenMP build: env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
"""
import json
import torch
from torch import nn
from peer_timing import parse_args, row, seconds_per_call

args = parse_args()
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
    r = row(f"torch infer [784,30,10] batch {batch}", "samples/s", batch, seconds_per_call(step, args), args.repeats)
    results.append(r)
    print(f"| {r['workload']} | samples/s | {r['median']:.0f} | {r['min']:.0f} | {r['max']:.0f} | {r['median_us']:.2f} |")

if args.out:
    json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), results=results), open(args.out, "w"), indent=1)
