#!/usr/bin/python3
# cuda_ref.py: the PyTorch side of bench/cuda.sh, on the same GPU: matmul
# 4096 x 4096 float32 (TF32 off, as galley's cuBLAS calls), the MLP
# training step of bench/cuda_bench.c (784 -> 256 -> 10, batch 64,
# float32, ReLU, cross-entropy, SGD lr 0.01, loss.item() every step) and
# adding two [4] tensors. Prints "name value" lines, medians of REPS
# repetitions (first argument, default 5); prints nothing (and says why on
# stderr) where torch or its CUDA is missing, and bench/cuda.sh leaves
# those cells empty.
import statistics
import sys
import time

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
try:
    import torch
except ImportError:
    print("cuda_ref.py: torch is not installed", file=sys.stderr)
    sys.exit(0)
if not torch.cuda.is_available():
    print("cuda_ref.py: this torch has no CUDA device (torch %s, CUDA %s)"
          % (torch.__version__, torch.version.cuda), file=sys.stderr)
    sys.exit(0)
torch.backends.cuda.matmul.allow_tf32 = False
dev = torch.device("cuda")


def median_of(fn):
    fn()  # warm-up
    return statistics.median(fn() for _ in range(reps))


def matmul():
    n, inner = 4096, 5
    a = torch.rand(n, n, device=dev)
    b = torch.rand(n, n, device=dev)

    def run():
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(inner):
            torch.mm(a, b)
        torch.cuda.synchronize()
        return (time.perf_counter() - t0) * 1e3 / inner

    print("torch_matmul_ms %.3f" % median_of(run))


def mlp():
    steps = 200
    torch.manual_seed(0)
    x = torch.randn(64, 784, device=dev)
    y = torch.tensor([(i * 7) % 10 for i in range(64)], device=dev)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    lossf = torch.nn.CrossEntropyLoss()

    def run():
        t0 = time.perf_counter()
        for _ in range(steps):
            opt.zero_grad()
            loss = lossf(model(x), y)
            loss.backward()
            opt.step()
            loss.item()
        return (time.perf_counter() - t0) * 1e6 / steps

    print("torch_mlp_cuda_us %.1f" % median_of(run))


def tiny():
    n = 1000
    a = torch.rand(4, device=dev)
    b = torch.rand(4, device=dev)

    def run():
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(n):
            torch.add(a, b)
        torch.cuda.synchronize()
        return (time.perf_counter() - t0) * 1e6 / n

    print("torch_tiny_add_cuda_us %.2f" % median_of(run))


matmul()
mlp()
tiny()
