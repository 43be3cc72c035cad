"""The training programs: a short real run, resume determinism, options, predict."""

from __future__ import annotations

import json

import numpy as np
import pytest

import minigrad
from train import mnist, predict

FAST = ["--limit-train", "512", "--limit-test", "256", "--batch-size", "32", "--no-progress"]


def _weights(path):
    return {k: np.asarray(v) for k, v in minigrad.load(path).items()}


def test_short_mnist_run_learns(tmp_path, data_root, capsys):
    out = tmp_path / "run"
    status = mnist.main([*FAST, "--epochs", "2", "--out", str(out), "--lr", "0.003"])
    assert status == 0
    history = json.loads((out / "metrics.json").read_text())
    assert len(history) == 2
    assert history[1]["train_loss"] < history[0]["train_loss"]
    assert history[1]["test_acc"] > 0.6, history  # chance is 0.1
    for name in ("checkpoint.npz", "model.npz", "best.npz", "metrics.csv"):
        assert (out / name).is_file(), name
    printed = capsys.readouterr().out
    assert "epoch 2/2" in printed and "done:" in printed


def test_resume_gives_the_same_weights_bit_for_bit(tmp_path, data_root):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    common = [*FAST, "--limit-train", "256", "--seed", "3"]
    assert mnist.main([*common, "--epochs", "2", "--out", str(straight)]) == 0
    assert mnist.main([*common, "--epochs", "2", "--stop-after", "1", "--out", str(resumed)]) == 0
    assert len(json.loads((resumed / "metrics.json").read_text())) == 1
    assert mnist.main([*common, "--epochs", "2", "--out", str(resumed), "--resume"]) == 0
    a, b = _weights(straight / "model.npz"), _weights(resumed / "model.npz")
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    h1 = json.loads((straight / "metrics.json").read_text())
    h2 = json.loads((resumed / "metrics.json").read_text())
    assert [h["test_acc"] for h in h1] == [h["test_acc"] for h in h2]


def test_eval_only_reports_accuracy(tmp_path, data_root, capsys):
    out = tmp_path / "run"
    assert mnist.main([*FAST, "--epochs", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    args = ["--eval-only", "--weights", str(out / "best.npz"), "--limit-test", "200"]
    assert mnist.main(args) == 0
    assert "accuracy" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["--epochs", "0"], ["--lr", "-1"], ["--optimizer", "lbfgs"], ["--batch-size", "x"]],
)
def test_invalid_options_are_argparse_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        mnist.main(argv)
    assert exc.value.code == 2
    assert "error" in capsys.readouterr().err


def test_missing_dataset_gives_the_data_modules_message(tmp_path, capsys):
    status = mnist.main(["--data-dir", str(tmp_path), "--no-progress"])
    assert status == 2
    message = capsys.readouterr().err
    assert str(tmp_path) in message and "MINIGRAD_DATA" in message


def test_resume_without_checkpoint_is_a_clear_error(tmp_path, data_root, capsys):
    assert mnist.main([*FAST, "--out", str(tmp_path / "none"), "--resume"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: resume: no checkpoint") and "Traceback" not in err


@pytest.mark.parametrize("content", [None, b"PK\x03\x04 not a zip"], ids=["missing", "corrupt"])
def test_bad_weights_are_a_clear_error_not_a_traceback(tmp_path, data_root, capsys, content):
    weights = tmp_path / "w.npz"
    if content is not None:
        weights.write_bytes(content)
    assert mnist.main([*FAST, "--eval-only", "--weights", str(weights)]) == 2
    assert capsys.readouterr().err.startswith("error: --weights: ")
    assert predict.main(["--weights", str(weights), str(weights)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --weights: ") and str(weights) in err


def test_eval_only_without_weights_is_an_error(capsys):
    assert mnist.main(["--eval-only", "--data-dir", "/nonexistent"]) == 2
    assert "--eval-only needs --weights" in capsys.readouterr().err


def test_predict_classifies_npy_digits(tmp_path, data_root, capsys):
    from minigrad.data import MNIST

    test = MNIST(train=False)
    paths = []
    for i in range(3):
        path = tmp_path / f"digit{i}.npy"
        np.save(path, test.data[i].reshape(28, 28))
        paths.append(str(path))
    assert predict.main(paths) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    for line, label in zip(lines, np.asarray(test.targets)[:3]):
        assert line.split(": ")[1].startswith(f"{label} ("), line


def test_predict_rejects_wrong_shapes(tmp_path):
    path = tmp_path / "bad.npy"
    np.save(path, np.zeros((5, 5)))
    with pytest.raises(ValueError, match=r"expected \(28, 28\)"):
        predict.load_image(path)


def test_predict_reads_png_drawings_dark_on_light(tmp_path, data_root, capsys):
    from PIL import Image

    from minigrad.data import MNIST

    test = MNIST(train=False)
    digit = test.data[0].reshape(28, 28)
    path = tmp_path / "drawing.png"
    Image.fromarray(255 - digit).resize((56, 56)).save(path)  # dark ink, larger canvas
    assert predict.main([str(path), "--top", "1"]) == 0
    label = int(np.asarray(test.targets)[0])
    line = capsys.readouterr().out.strip()
    assert line.split(": ")[1].startswith(f"{label} ("), line
    image = predict.load_image(path)
    assert image.shape == (28, 28) and image.mean() < 0.5  # inverted to white-on-black


def test_curves_are_skipped_with_a_note_without_matplotlib(tmp_path, monkeypatch):
    import sys

    from train.loop import plot_curves

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    notes = []
    history = [{"epoch": 1, "train_loss": 1.0, "test_loss": 1.0, "train_acc": 0.5, "test_acc": 0.5}]
    plot_curves(history, tmp_path, notes.append)
    assert not (tmp_path / "curves.png").exists()
    assert "matplotlib is not installed" in notes[0]


def test_curves_png_is_written_with_matplotlib(tmp_path):
    pytest.importorskip("matplotlib")
    from train.loop import plot_curves

    history = [
        {"epoch": e, "train_loss": 1 / e, "test_loss": 1 / e, "train_acc": 0.5, "test_acc": 0.5}
        for e in (1, 2)
    ]
    plot_curves(history, tmp_path, print)
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
