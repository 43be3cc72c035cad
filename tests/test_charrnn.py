"""models.charrnn: the character LSTM's names, PyTorch parity in float64, generation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from models.charrnn import CharRNN, CharRNNConfig


def _tiny(**kw) -> CharRNN:
    cfg = dict(vocab_size=11, n_embd=6, hidden_size=8, n_layer=2)
    cfg.update(kw)
    return CharRNN(CharRNNConfig(**cfg))


def test_parameter_names_follow_torch():
    names = list(_tiny().state_dict())
    lstm = [f"lstm.{k}_l{i}" for i in range(2) for k in ("weight_ih", "weight_hh", "bias_ih",
                                                             "bias_hh")]  # fmt: skip
    assert names == ["wte.weight", *lstm, "lm_head.weight", "lm_head.bias"]


def test_shapes_and_errors():
    model = _tiny()
    idx = minigrad.tensor(np.arange(10).reshape(2, 5))
    logits, loss = model(idx, idx)
    assert logits.shape == (2, 5, 11) and loss.shape == ()
    assert model(idx)[0].shape == (2, 1, 11)
    with pytest.raises(ValueError, match="2-D integer"):
        model(minigrad.zeros(4, dtype=minigrad.int64))
    with pytest.raises(ValueError, match="hidden_size must be a positive integer"):
        CharRNNConfig(hidden_size=0)


@settings(max_examples=6, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 7), st.integers(0, 2**16))
def test_logits_loss_and_gradients_match_torch_in_float64(n_layer, B, T, seed):
    torch = pytest.importorskip("torch")
    minigrad.manual_seed(seed)
    ours = _tiny(n_layer=n_layer).double()

    class TorchCharRNN(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wte = torch.nn.Embedding(11, 6)
            self.lstm = torch.nn.LSTM(6, 8, num_layers=n_layer, batch_first=True)
            self.lm_head = torch.nn.Linear(8, 11)

        def forward(self, idx, targets):
            logits = self.lm_head(self.lstm(self.wte(idx))[0])
            return logits, torch.nn.functional.cross_entropy(logits.view(-1, 11), targets.view(-1))

    theirs = TorchCharRNN().double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    rng = np.random.default_rng(seed)
    idx, tgt = rng.integers(0, 11, (B, T)), rng.integers(0, 11, (B, T))
    logits, loss = ours(minigrad.tensor(idx), minigrad.tensor(tgt))
    t_logits, t_loss = theirs(torch.from_numpy(idx), torch.from_numpy(tgt))
    np.testing.assert_allclose(logits.numpy(), t_logits.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert loss.item() == pytest.approx(t_loss.item(), rel=1e-12)
    loss.backward()
    t_loss.backward()
    grads = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), grads[name].grad.numpy(), rtol=1e-8, atol=1e-12, err_msg=name
        )


def test_carried_state_equals_running_the_whole_sequence():
    model = _tiny().double().eval()
    tokens = np.random.default_rng(0).integers(0, 11, (2, 9))
    with minigrad.no_grad():
        full, _ = model._run(minigrad.tensor(tokens))
        h, state = model._run(minigrad.tensor(tokens[:, :4]))
        steps = []
        for i in range(4, 9):
            h, state = model._run(minigrad.tensor(tokens[:, i : i + 1]), state)
            steps.append(h.numpy()[:, 0])
    np.testing.assert_allclose(np.stack(steps, 1), full.numpy()[:, 4:], rtol=1e-10, atol=1e-12)


def test_generate_is_deterministic_and_top_k_one_is_greedy():
    model = _tiny()
    prompt = minigrad.tensor([[1, 2, 3]])
    minigrad.manual_seed(2)
    a = model.generate(prompt, 25, temperature=0.7, top_k=4)
    minigrad.manual_seed(2)
    b = model.generate(prompt, 25, temperature=0.7, top_k=4)
    assert a.shape == (1, 28) and a.tolist() == b.tolist() and model.training
    greedy = model.generate(prompt, 5, top_k=1).tolist()[0]
    tokens = [1, 2, 3]
    model.eval()
    for _ in range(5):
        logits, _ = model(minigrad.tensor([tokens]))
        tokens.append(int(logits.numpy()[0, -1].argmax()))
    assert greedy == tokens


def test_training_steps_lower_the_loss_on_a_fixed_batch():
    minigrad.manual_seed(0)
    model = _tiny()
    opt = minigrad.optim.Adam(model.parameters(), lr=3e-2)
    idx = minigrad.tensor(np.random.default_rng(0).integers(0, 11, (4, 12)))
    losses = []
    for _ in range(30):
        _, loss = model(idx[:, :-1], idx[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0]
