#!/usr/bin/python3
# tensor_ref.py: the reference side of bench/tensor.sh: the same MLP training
# step (64 -> 32 -> 1, batch 64, ReLU, MSE, Adam lr 1e-3) and the same tiny
# op in PyTorch on the CPU and in numpy by hand. Prints one line per row,
# medians of REPS repetitions (first argument, default 5).
import statistics
import sys
import time

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
STEPS = 2000


def median_of(fn):
    fn()  # warm-up
    return statistics.median(fn() for _ in range(reps))


def torch_rows():
    try:
        import torch
    except ImportError:
        print("torch: not installed (apt-get install python3-torch)")
        return
    for threads in sorted({1, torch.get_num_threads()}):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        x = torch.randn(64, 64)
        y = torch.randn(64, 1)
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(),
                                    torch.nn.Linear(32, 1))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        lossf = torch.nn.MSELoss()

        def run():
            t0 = time.perf_counter()
            for _ in range(STEPS):
                opt.zero_grad()
                loss = lossf(model(x), y)
                loss.backward()
                opt.step()
            return (time.perf_counter() - t0) * 1e6 / STEPS

        print("torch %s threads: mlp step %.1f us" % (threads, median_of(run)))
    a = torch.rand(4)
    b = torch.rand(4)

    def op():
        t0 = time.perf_counter()
        for _ in range(100000):
            torch.add(a, b)
        return (time.perf_counter() - t0) * 1e9 / 100000

    print("torch: op add [4]+[4] %.0f ns" % median_of(op))


def numpy_rows():
    try:
        import numpy as np
    except ImportError:
        print("numpy: not installed (apt-get install python3-numpy)")
        return
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 64), dtype=np.float32)
    y = rng.standard_normal((64, 1), dtype=np.float32)
    w1 = (rng.standard_normal((64, 32)) * 0.125).astype(np.float32)
    b1 = np.zeros(32, np.float32)
    w2 = (rng.standard_normal((32, 1)) * 0.17).astype(np.float32)
    b2 = np.zeros(1, np.float32)
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    state = {"t": 0}

    def step():
        h0 = x @ w1 + b1
        h = np.maximum(h0, 0)
        out = h @ w2 + b2
        d = out - y
        gout = 2 * d / d.size
        gw2 = h.T @ gout
        gb2 = gout.sum(0)
        gh = gout @ w2.T
        gh0 = gh * (h0 > 0)
        gw1 = x.T @ gh0
        gb1 = gh0.sum(0)
        state["t"] += 1
        t = state["t"]
        for p, g, mi, vi in zip(params, [gw1, gb1, gw2, gb2], m, v):
            mi *= 0.9
            mi += 0.1 * g
            vi *= 0.999
            vi += 0.001 * g * g
            mhat = mi / (1 - 0.9 ** t)
            vhat = vi / (1 - 0.999 ** t)
            p -= 1e-3 * mhat / (np.sqrt(vhat) + 1e-8)

    def run():
        t0 = time.perf_counter()
        for _ in range(STEPS):
            step()
        return (time.perf_counter() - t0) * 1e6 / STEPS

    print("numpy by hand: mlp step %.1f us" % median_of(run))
    a = np.random.rand(1024, 1024).astype(np.float32)
    b = np.random.rand(1024, 1024).astype(np.float32)

    def mm():
        t0 = time.perf_counter()
        a @ b
        return (time.perf_counter() - t0) * 1e3

    print("numpy: matmul 1024x1024 f32 %.2f ms" % median_of(mm))


torch_rows()
numpy_rows()
