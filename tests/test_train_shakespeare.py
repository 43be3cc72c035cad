"""python -m train.shakespeare and python -m train.sample on a slice of Tiny Shakespeare:
training lowers the loss, outputs, bit-identical resume, sampling, and the error paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

import minigrad
from train import sample as sample_cli
from train import shakespeare
from train.lm import CharData, find_text, load_lm, read_text, save_lm

TINY = ["--n-layer", "1", "--n-head", "2", "--n-embd", "16", "--block-size", "16",
        "--batch-size", "4", "--eval-iters", "2", "--no-progress"]  # fmt: skip
FAST = ["--lr", "1e-2", "--warmup-iters", "0", "--min-lr", "1e-3"]


@pytest.fixture(scope="module")
def text_file(tmp_path_factory) -> Path:
    """The first 20,000 characters of the real text (every one of its 65 characters is not
    in there; the vocabulary is the slice's own)."""
    try:
        path = find_text(None, None)
    except FileNotFoundError:
        pytest.skip("Tiny Shakespeare is not in MINIGRAD_DATA")
    out = tmp_path_factory.mktemp("text") / "slice.txt"
    out.write_text(read_text(path)[:20000], encoding="utf-8")
    return out


def _train(capsys, text_file: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    tiny = list(TINY)
    if "lstm" in extra:
        del tiny[2:4]  # --n-head 2
    status = shakespeare.main(["--data", str(text_file), "--out", str(out), *tiny, *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_training_lowers_the_loss_and_writes_every_output(capsys, text_file, tmp_path):
    status, out, err = _train(capsys, text_file, tmp_path, "--iters", "40",
                              "--eval-interval", "20", *FAST)  # fmt: skip
    assert status == 0, err
    history = json.loads((tmp_path / "metrics.json").read_text())
    assert [h["iter"] for h in history] == [0, 20, 40]
    assert history[-1]["val_loss"] < history[0]["val_loss"] - 0.5
    assert "step 20: train loss" in out
    final = [line for line in out.splitlines() if line.startswith("val loss ")]
    assert len(final) == 1 and float(final[0].split()[2]) < history[0]["val_loss"]
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["val_windows"] == (2000 - 1) // 16  # the whole 10% split, 16-char windows
    for name in ("best.npz", "model.npz", "checkpoint.npz", "metrics.csv"):
        assert (tmp_path / name).is_file(), name
    model, kind, vocab = load_lm(tmp_path / "best.npz")
    assert kind == "gpt" and vocab == CharData(text_file.read_text()).vocab
    assert model.config.n_embd == 16 and not model.training


def test_the_lstm_trains_too(capsys, text_file, tmp_path):
    status, _, err = _train(capsys, text_file, tmp_path, "--model", "lstm", "--iters", "20",
                              "--eval-interval", "20", "--hidden-size", "24", *FAST)  # fmt: skip
    assert status == 0, err
    history = json.loads((tmp_path / "metrics.json").read_text())
    assert history[-1]["val_loss"] < history[0]["val_loss"]
    assert load_lm(tmp_path / "best.npz")[1] == "lstm"


def _arrays(path: Path) -> dict[str, np.ndarray]:
    state = minigrad.load(path)
    return {k: np.asarray(v) for k, v in state["state_dict"].items()}


def test_resume_is_bit_identical(capsys, text_file, tmp_path):
    args = ["--iters", "12", "--eval-interval", "5", "--dropout", "0.1", *FAST]
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    assert _train(capsys, text_file, whole, *args)[0] == 0
    status, out, _ = _train(capsys, text_file, parts, *args, "--stop-after", "7",
                            "--checkpoint-every", "3")  # fmt: skip
    assert status == 0 and "stopped after iteration 7" in out
    status, out, err = _train(capsys, text_file, parts, "--resume")
    assert status == 0, err
    assert "resumed from" in out and "at iteration 7" in out
    a, b = _arrays(whole / "model.npz"), _arrays(parts / "model.npz")
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)
    timing = ("train_seconds", "tokens_per_second")

    def strip(h: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in timing} for r in h]

    ha = json.loads((whole / "metrics.json").read_text())
    hb = json.loads((parts / "metrics.json").read_text())
    assert strip(ha) == strip(hb)
    ra = json.loads((whole / "result.json").read_text())
    rb = json.loads((parts / "result.json").read_text())
    assert ra["val_loss"] == rb["val_loss"]
    status, out, _ = _train(capsys, text_file, parts, "--resume")
    assert status == 0 and "nothing to do" in out


def test_sampling_from_the_trained_weights(capsys, text_file, tmp_path):
    assert _train(capsys, text_file, tmp_path, "--iters", "5", "--eval-interval", "5")[0] == 0
    weights = str(tmp_path / "best.npz")
    argv = ["--weights", weights, "--prompt", "First", "--chars", "40", "--seed", "3"]
    assert sample_cli.main(argv) == 0
    first = capsys.readouterr()
    text = first.out[:-1]  # print's newline
    assert text.startswith("First") and len(text) == 45
    assert set(text) <= set(CharData(text_file.read_text()).vocab)
    assert "40 characters in" in first.err
    assert sample_cli.main([*argv, "--top-k", "3", "--temperature", "0.5"]) == 0
    assert sample_cli.main(argv) == 0
    assert capsys.readouterr().out.endswith(first.out)  # the same seed, the same text


def test_sample_refuses_bad_prompts_and_foreign_files(capsys, text_file, tmp_path):
    assert _train(capsys, text_file, tmp_path, "--iters", "1", "--eval-interval", "1")[0] == 0
    weights = str(tmp_path / "best.npz")

    def error(*argv: str) -> str:
        assert sample_cli.main(list(argv)) == 2
        return capsys.readouterr().err

    vocab = CharData(text_file.read_text()).vocab
    assert "é" not in vocab and "€" not in vocab
    msg = error("--weights", weights, "--prompt", "héllo€")
    assert msg.startswith("error: --prompt:") and "'é'" in msg and "'€'" in msg
    assert "error: --prompt must hold at least one character" in error(
        "--weights", weights, "--prompt", ""
    )
    assert "no weights file" in error("--weights", str(tmp_path / "none.npz"))
    assert "training checkpoint" in error("--weights", str(tmp_path / "checkpoint.npz"))
    lenet = tmp_path / "lenet.npz"
    minigrad.save({"conv1.weight": np.zeros((6, 1, 5, 5), np.float32)}, lenet)
    assert "bare state dict with no vocabulary" in error("--weights", str(lenet))
    state = minigrad.load(weights)
    state["vocab"] = state["vocab"][:-1]  # another vocabulary than the model's
    minigrad.save(state, tmp_path / "other.npz")
    assert "vocab_size" in error("--weights", str(tmp_path / "other.npz"))
    state = minigrad.load(weights)
    state["model"] = "lstm"  # GPT weights claimed as an LSTM
    assert "configuration is not valid" in error("--weights", str(_save(state, tmp_path)))
    state["config"] = {"vocab_size": len(vocab), "n_layer": 1}
    minigrad.save(state, tmp_path / "mislabelled.npz")
    assert "do not fit a lstm model" in error("--weights", str(tmp_path / "mislabelled.npz"))


def _save(state: dict, folder: Path) -> Path:
    minigrad.save(state, folder / "edited.npz")
    return folder / "edited.npz"


def _error(capsys, argv: list[str]) -> str:
    assert shakespeare.main(argv) == 2
    return capsys.readouterr().err


def test_training_errors(capsys, text_file, tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path / "empty"))
    msg = _error(capsys, ["--out", str(tmp_path / "o"), "--iters", "1"])
    assert msg.startswith("error: no text at ") and "MINIGRAD_DATA" in msg
    assert str(tmp_path / "empty" / "tinyshakespeare" / "input.txt") in msg
    msg = _error(capsys, ["--data", str(text_file), "--model", "lstm", "--n-head", "2"])
    assert "--n-head applies to --model gpt only" in msg
    msg = _error(capsys, ["--data", str(text_file), "--n-embd", "10", "--n-head", "4",
                          "--out", str(tmp_path / "o")])  # fmt: skip
    assert "divisible by n_head" in msg
    msg = _error(capsys, ["--data", str(text_file), "--block-size", "5000",
                          "--out", str(tmp_path / "o")])  # fmt: skip
    assert "too few for --block-size 5000" in msg
    msg = _error(capsys, ["--data", str(text_file), "--resume", "--out", str(tmp_path / "new")])
    assert "no checkpoint at" in msg
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert "is not UTF-8 text" in _error(capsys, ["--data", str(binary), "--out", str(tmp_path)])
    with pytest.raises(SystemExit) as e:
        shakespeare.main(["--iters", "0"])
    assert e.value.code == 2 and "error: argument --iters" in capsys.readouterr().err


def test_resume_refuses_another_run(capsys, text_file, tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text(text_file.read_text())
    out = tmp_path / "run"
    assert _train(capsys, mine, out, "--iters", "4", "--eval-interval", "2",
                  "--stop-after", "2")[0] == 0  # fmt: skip
    msg = _error(capsys, ["--out", str(out), "--resume", "--lr", "0.5"])
    assert "resume: the checkpoint's run has --lr" in msg
    msg = _error(capsys, ["--data", str(text_file), "--out", str(out), "--resume"])
    assert "resume: the checkpoint's run has --data" in msg
    mine.write_text(text_file.read_text()[::-1])  # the same file, another text
    msg = _error(capsys, ["--out", str(out), "--resume"])
    assert "was trained on another text" in msg
    minigrad.save({"w": np.zeros(2)}, tmp_path / "checkpoint.npz")
    assert "not a train.shakespeare checkpoint" in _error(
        capsys, ["--out", str(tmp_path), "--resume"]
    )


def test_weights_files_round_trip_the_vocabulary(tmp_path):
    from train.lm import build_lm

    model = build_lm("gpt", {"block_size": 8, "vocab_size": 4, "n_layer": 1, "n_head": 1,
                             "n_embd": 4})  # fmt: skip
    save_lm(tmp_path / "w.npz", model, "gpt", "\n !a")
    back, kind, vocab = load_lm(tmp_path / "w.npz")
    assert (kind, vocab) == ("gpt", "\n !a")
    sd = model.state_dict()
    assert all((back.state_dict()[k] == v).all() for k, v in sd.items())
    raw = np.load(tmp_path / "w.npz")  # a plain .npz: no pickle needed to read the arrays
    assert "state_dict/transformer.wte.weight" in raw.files
    assert not os.path.exists(tmp_path / "w.npz.tmp")
