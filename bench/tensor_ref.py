#!/usr/bin/python3
# tensor_ref.py: the PyTorch side of bench/tensor.sh: the same MLP training
# step as bench/tensor_bench.c (784 -> 256 -> 10, batch 64, float32, ReLU,
# cross-entropy, SGD lr 0.01) and the same tiny op (adding two [4]
# tensors, without and with the graph), at THREADS threads (second
# argument; 0: torch's default). Prints "name value" lines, medians of
# REPS repetitions (first argument, default 5).
import statistics
import sys
import time

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 0
try:
    import torch
except ImportError:
    print("torch: not installed (apt-get install python3-torch)",
          file=sys.stderr)
    sys.exit(0)
if threads > 0:
    torch.set_num_threads(threads)
print("torch_threads %d" % torch.get_num_threads())


def median_of(fn):
    fn()  # warm-up
    return statistics.median(fn() for _ in range(reps))


def mlp():
    steps = 200
    torch.manual_seed(0)
    x = torch.randn(64, 784)
    y = torch.tensor([(i * 7) % 10 for i in range(64)])
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    lossf = torch.nn.CrossEntropyLoss()

    def run():
        t0 = time.perf_counter()
        for _ in range(steps):
            opt.zero_grad()
            loss = lossf(model(x), y)
            loss.backward()
            opt.step()
        return (time.perf_counter() - t0) * 1e6 / steps

    print("torch_mlp_us %.1f" % median_of(run))


def add(a, b):
    n = 100000

    def run():
        t0 = time.perf_counter()
        for _ in range(n):
            torch.add(a, b)
        return (time.perf_counter() - t0) * 1e9 / n

    return median_of(run)


mlp()
a = torch.rand(4)
b = torch.rand(4)
print("torch_add_ns %.1f" % add(a, b))
print("torch_add_graph_ns %.1f" % add(a.clone().requires_grad_(), b))
