"""Bidirectional LSTM that respects per-item lengths in a right-padded batch."""

from __future__ import annotations

from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class BiLSTM(nn.LSTM):
    """One-layer, batch-first, bidirectional LSTM; parameter names match ``nn.LSTM``.

    With ``lengths`` the sequence is packed so the backward direction starts at each
    item's own last step, as it would unbatched; padded outputs are zero.
    """

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__(input_size, hidden_size, num_layers=1, batch_first=True, bidirectional=True)

    def run(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        """``[B,T,in] -> [B,T,2H]``."""
        if lengths is None:
            return self(x)[0]
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self(packed)
        return pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])[0]
