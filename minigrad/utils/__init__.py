"""torch.utils's layout: ``minigrad.utils.data`` is torch's data API.

Example:
    >>> from minigrad.utils.data import DataLoader, TensorDataset
    >>> DataLoader.__module__
    'minigrad.data.loader'
"""

from minigrad.utils import data

__all__ = ["data"]
