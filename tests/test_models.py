"""Models: architectures, registry, and the shipped pretrained LeNet-5 weights."""

from __future__ import annotations

import numpy as np
import pytest

import minigrad
import models
from models.cifar import CifarNet, SeedCNN
from models.lenet import LeNet5, classify


def test_lenet5_shapes_and_parameter_names():
    model = LeNet5()
    shapes = {name: p.shape for name, p in model.named_parameters()}
    assert shapes == {
        "conv1.weight": (6, 1, 5, 5),
        "conv1.bias": (6,),
        "conv2.weight": (16, 6, 5, 5),
        "conv2.bias": (16,),
        "fc1.weight": (120, 400),
        "fc1.bias": (120,),
        "fc2.weight": (84, 120),
        "fc2.bias": (84,),
        "fc3.weight": (10, 84),
        "fc3.bias": (10,),
    }
    assert model(minigrad.zeros(3, 1, 28, 28)).shape == (3, 10)


@pytest.mark.parametrize("filters", [8, 16])
def test_seedcnn_shapes(filters):
    model = SeedCNN(filters=filters)
    assert model(minigrad.randn(2, 3, 32, 32)).shape == (2, 10)
    assert model.conv2.weight.shape == (filters, filters, 5, 5)


def test_cifarnet_trains_in_train_mode_and_is_deterministic_in_eval():
    model = CifarNet(width=8)
    x = minigrad.randn(4, 3, 32, 32)
    out = model(x)
    assert out.shape == (4, 10)
    out.sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.eval()
    with minigrad.no_grad():
        a, b = model(x).numpy(), model(x).numpy()
    np.testing.assert_array_equal(a, b)


def test_registry_errors_are_clear():
    with pytest.raises(ValueError, match="unknown model 'resnet'"):
        models.get("resnet")
    with pytest.raises(ValueError, match="no pretrained weights"):
        models.get("cifarnet", pretrained=True)


def test_lenet5_state_dict_keys_match_pytorch(torch):
    tnn = torch.nn
    ref = tnn.Module()  # the same architecture, built the PyTorch way
    ref.conv1, ref.conv2 = tnn.Conv2d(1, 6, 5, padding=2), tnn.Conv2d(6, 16, 5)
    ref.fc1, ref.fc2, ref.fc3 = tnn.Linear(400, 120), tnn.Linear(120, 84), tnn.Linear(84, 10)
    ours = LeNet5().state_dict()
    theirs = ref.state_dict()
    assert {k: tuple(v.shape) for k, v in ours.items()} == {
        k: tuple(v.shape) for k, v in theirs.items()
    }


def _mnist_test_set():
    from minigrad.data import MNIST

    return MNIST(train=False)


@pytest.mark.slow
def test_pretrained_lenet5_reaches_99_percent_on_mnist_test(data_root):
    if not models.weights_path("lenet5").is_file():
        pytest.fail(f"pretrained weights missing: {models.weights_path('lenet5')}")
    model = models.lenet5(pretrained=True)
    test = _mnist_test_set()
    images = test.data[:, 0].astype(np.float32) / 255.0
    labels = np.asarray(test.targets)
    correct = 0
    for start in range(0, len(labels), 2000):
        probs = classify(model, images[start : start + 2000])
        correct += int((probs.argmax(1) == labels[start : start + 2000]).sum())
    accuracy = correct / len(labels)
    assert len(labels) == 10_000
    assert accuracy >= 0.99, f"pretrained LeNet-5 test accuracy {accuracy:.4f} < 0.99"
