"""PL-BERT: a Hugging Face Albert whose state dict matches the checkpoint's ``bert`` part (pooler included)."""

from __future__ import annotations

from typing import Any

from torch import Tensor
from transformers import AlbertConfig, AlbertModel


def albert_config(n_token: int, plbert: dict[str, Any]) -> AlbertConfig:
    """AlbertConfig as upstream builds it, with tanh GELU and every dropout off (inference network)."""
    settings = {key: value for key, value in plbert.items() if key != "dropout"}
    return AlbertConfig(
        vocab_size=n_token,
        hidden_act="gelu_new",
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        **settings,
    )


class PLBert(AlbertModel):
    """Albert returning only ``last_hidden_state``; the unused pooler stays so the checkpoint loads strictly.

    The pooler is frozen: nothing Kokoro computes depends on it, so it never gets a gradient, and
    a trainable parameter without one makes DistributedDataParallel stop with an error.
    """

    def __init__(self, n_token: int, plbert: dict[str, Any]) -> None:
        super().__init__(albert_config(n_token, plbert))
        self.pooler.requires_grad_(False)

    def forward(self, input_ids: Tensor, attention_mask: Tensor | None = None) -> Tensor:  # type: ignore[override]
        return super().forward(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
