"""Data-parallel training over MPI, run for real with ``mpirun -n 2`` on localhost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import distributed

WORKER = Path(__file__).parent / "mpi" / "worker.py"
REPO = Path(__file__).resolve().parent.parent


def _mpirun():
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("Open MPI is not installed (apt-get install openmpi-bin libopenmpi-dev)")
    pytest.importorskip("mpi4py")
    return mpirun


def _run(args: list[str], timeout: float = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        OMPI_ALLOW_RUN_AS_ROOT="1",
        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
        OMPI_MCA_rmaps_base_oversubscribe="1",
        OPENBLAS_NUM_THREADS="1",
        PYTHONPATH=str(REPO),
    )
    cmd = [_mpirun(), "-n", "2", sys.executable, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO)


def test_single_process_needs_no_mpi():
    distributed.init()
    assert (distributed.rank(), distributed.world_size(), distributed.is_main()) == (0, 1, True)
    w = minigrad.ones(3, requires_grad=True)
    (w * 3).sum().backward()
    distributed.all_reduce_gradients([w])
    np.testing.assert_array_equal(w.grad.numpy(), [3, 3, 3])


def test_ranks_hold_identical_parameters_after_every_step(tmp_path):
    result = _run([str(WORKER), "sync", str(tmp_path)])
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "sync.ok").is_file()


def test_two_ranks_of_32_equal_one_process_of_64(tmp_path):
    result = _run([str(WORKER), "equivalence", str(tmp_path)])
    assert result.returncode == 0, result.stderr[-3000:]
    sys.path.insert(0, str(WORKER.parent))
    try:
        import worker
    finally:
        sys.path.pop(0)
    from minigrad import nn, optim

    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 5 * 5, 10)
    )
    model.load_state_dict(minigrad.load(tmp_path / "initial.npz"))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for x, y in worker._batches(5, 64):
        worker._step(minigrad, distributed, model, opt, x, y)
    two = minigrad.load(tmp_path / "two_ranks.npz")
    for name, value in model.state_dict().items():
        np.testing.assert_allclose(np.asarray(two[name]), value, rtol=1e-4, atol=1e-5, err_msg=name)


def test_a_failing_rank_stops_the_whole_job_with_a_clear_error(tmp_path):
    result = _run([str(WORKER), "fail", str(tmp_path)], timeout=120)
    assert result.returncode != 0
    assert "rank 1 of 2 failed" in result.stderr
    assert "injected failure on rank 1" in result.stderr


def test_train_mnist_distributed_then_resume_with_one_process(tmp_path, data_root):
    out = tmp_path / "run"
    common = ["--limit-train", "512", "--limit-test", "256", "--no-progress", "--epochs", "2"]
    result = _run(["-m", "train.mnist", "--distributed", *common, "--stop-after", "1",
                   "--out", str(out)])  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("epoch 1/2") == 1, result.stdout  # only rank 0 prints
    from train import mnist

    assert mnist.main([*common, "--out", str(out), "--resume"]) == 0
    history = json.loads((out / "metrics.json").read_text())
    assert [h["epoch"] for h in history] == [1, 2]
