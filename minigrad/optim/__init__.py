"""Optimizers and learning-rate schedules, with PyTorch's update rules, defaults and state.

An optimizer takes any iterable of Tensors (``model.parameters()``, or a list of
parameter-group dicts) and updates them in place from their ``.grad``.

Example:
    >>> import minigrad
    >>> from minigrad import optim
    >>> w = minigrad.tensor([4.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.1, momentum=0.5)
    >>> sched = optim.lr_scheduler.StepLR(opt, step_size=10)
    >>> for _ in range(30):
    ...     opt.zero_grad()
    ...     loss = ((w - 1.0) ** 2).sum()
    ...     loss.backward()
    ...     opt.step()
    ...     sched.step()
    >>> round(w.item(), 3)
    1.0
"""

from minigrad.optim import lr_scheduler
from minigrad.optim.adadelta import Adadelta
from minigrad.optim.adagrad import Adagrad
from minigrad.optim.adam import Adam, AdamW
from minigrad.optim.adamax import Adamax
from minigrad.optim.asgd import ASGD
from minigrad.optim.lbfgs import LBFGS
from minigrad.optim.nadam import NAdam
from minigrad.optim.optimizer import Optimizer
from minigrad.optim.radam import RAdam
from minigrad.optim.rmsprop import RMSprop
from minigrad.optim.sgd import SGD

__all__ = [
    "ASGD",
    "LBFGS",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "Optimizer",
    "RAdam",
    "RMSprop",
    "lr_scheduler",
]
