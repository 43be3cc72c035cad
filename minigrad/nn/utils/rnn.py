"""``minigrad.nn.utils.rnn``: padding and packing of variable-length sequences (PyTorch's path).

The implementation lives in :mod:`minigrad.nn._rnn_utils` (``nn.rnn`` uses it
too); this module is where PyTorch programs import it from.

Example:
    >>> import minigrad
    >>> from minigrad.nn.utils.rnn import pad_sequence
    >>> pad_sequence([minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0])], batch_first=True)
    tensor([[1., 2.],
            [3., 0.]])
"""

from minigrad.nn._rnn_utils import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)

__all__ = [
    "PackedSequence",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]
