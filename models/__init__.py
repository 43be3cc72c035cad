"""Model zoo: LeNet-5 and the CIFAR-10 networks, with a small registry.

Example:
    >>> import models
    >>> models.available()
    ['cifarnet', 'lenet5', 'seedcnn']
    >>> type(models.get('lenet5')).__name__
    'LeNet5'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from minigrad import nn
from models.cifar import CifarNet, SeedCNN
from models.lenet import LeNet5

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"

#: name -> (constructor, file of pretrained weights under models/weights/, or None)
_REGISTRY: dict[str, tuple[Callable[..., nn.Module], str | None]] = {
    "lenet5": (LeNet5, "lenet5_mnist.npz"),
    "seedcnn": (SeedCNN, None),
    "cifarnet": (CifarNet, None),
}


def available() -> list[str]:
    """The names :func:`get` accepts.

    Example:
        >>> import models
        >>> 'lenet5' in models.available()
        True
    """
    return sorted(_REGISTRY)


def weights_path(name: str) -> Path:
    """Where the pretrained weights of ``name`` live (raises if it has none).

    Example:
        >>> import models
        >>> models.weights_path('lenet5').name
        'lenet5_mnist.npz'
    """
    _, filename = _lookup(name)
    if filename is None:
        raise ValueError(f"models: {name!r} has no pretrained weights (only 'lenet5' does)")
    return WEIGHTS_DIR / filename


def _lookup(name: str) -> tuple[Callable[..., nn.Module], str | None]:
    try:
        return _REGISTRY[name.lower()]
    except KeyError:
        raise ValueError(f"models: unknown model {name!r}; choose from {available()}") from None


def get(name: str, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    """Build a model by name, optionally with its pretrained weights loaded.

    Example:
        >>> import models
        >>> models.get('seedcnn', filters=16).conv1.weight.shape
        minigrad.Size([16, 3, 5, 5])
    """
    constructor, _ = _lookup(name)
    model = constructor(**kwargs)
    if pretrained:
        import minigrad

        path = weights_path(name)
        if not path.is_file():
            raise FileNotFoundError(
                f"models: pretrained weights for {name!r} not found at {path}; "
                f"train them with `python -m train.mnist --out runs/mnist` and copy "
                f"runs/mnist/best.npz there"
            )
        model.load_state_dict(minigrad.load(path))
        model.eval()
    return model


def lenet5(pretrained: bool = False, **kwargs: Any) -> LeNet5:
    """LeNet-5; with ``pretrained=True``, the weights this project trained on MNIST.

    Example:
        >>> import models
        >>> models.lenet5().fc3.out_features
        10
    """
    return get("lenet5", pretrained=pretrained, **kwargs)  # type: ignore[return-value]


def seedcnn(filters: int = 8, **kwargs: Any) -> SeedCNN:
    """The seed project's CIFAR-10 CNN (see :class:`models.cifar.SeedCNN`)."""
    return get("seedcnn", filters=filters, **kwargs)  # type: ignore[return-value]


def cifarnet(**kwargs: Any) -> CifarNet:
    """The VGG-style CIFAR-10 network (see :class:`models.cifar.CifarNet`)."""
    return get("cifarnet", **kwargs)  # type: ignore[return-value]


__all__ = [
    "CifarNet",
    "LeNet5",
    "SeedCNN",
    "available",
    "cifarnet",
    "get",
    "lenet5",
    "seedcnn",
    "weights_path",
]
