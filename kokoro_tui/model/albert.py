"""PL-BERT: the Albert encoder of Kokoro's text side, written out so that speaking does not import transformers.

Kokoro's checkpoint holds a Hugging Face ``AlbertModel`` (upstream builds it with
``AlbertConfig(vocab_size=n_token, **plbert)``). Importing it from transformers 5 took 3.4 s of a
cold `kokoro say` and about 150 MB of resident memory, because transformers' model base class
imports torch's compiler and distributed packages, sympy and scipy; the network itself is a
dozen lines. This module computes the same function with the same parameter names, so the
checkpoint loads strictly: the same operations in the same order as transformers' Albert with
its default SDPA attention, which ``tests/test_model_albert.py`` checks against transformers
itself (bit for bit on CPU, padded batches included).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.meta_build import building_on_meta, embedding

# AlbertConfig's defaults for the settings Kokoro's ``plbert`` section leaves out.
_DEFAULTS = {"embedding_size": 128, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "num_hidden_groups": 1,
             "inner_group_num": 1, "initializer_range": 0.02}  # fmt: skip
_REQUIRED = ("hidden_size", "num_attention_heads", "intermediate_size", "max_position_embeddings", "num_hidden_layers")
# Upstream's config carries the training dropout, which inference and our fine-tuning leave off.
_IGNORED = ("dropout", "hidden_dropout_prob", "attention_probs_dropout_prob")
_GELU_CUBIC = 0.044715
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True)
class AlbertShape:
    """The sizes of one Albert, from Kokoro's ``plbert`` config section (AlbertConfig's names and defaults)."""

    vocab_size: int
    hidden_size: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    num_hidden_layers: int
    embedding_size: int
    type_vocab_size: int
    layer_norm_eps: float
    num_hidden_groups: int
    inner_group_num: int
    initializer_range: float

    @classmethod
    def from_plbert(cls, n_token: int, plbert: dict[str, Any]) -> AlbertShape:
        """Raises ``KokoroError`` for a missing size or a setting this Albert does not implement."""
        unknown = sorted(set(plbert) - set(_REQUIRED) - set(_DEFAULTS) - set(_IGNORED) - {"hidden_act"})
        if unknown:
            raise KokoroError(f"config plbert settings not supported: {unknown}")
        if plbert.get("hidden_act", "gelu_new") != "gelu_new":
            raise KokoroError(f"config plbert hidden_act {plbert['hidden_act']!r} is not supported (Kokoro uses gelu_new)")
        missing = [key for key in _REQUIRED if key not in plbert]
        if missing:
            raise KokoroError(f"config plbert section lacks {missing}")
        sizes = {**_DEFAULTS, **{key: plbert[key] for key in (*_REQUIRED, *_DEFAULTS) if key in plbert}}
        shape = cls(vocab_size=n_token, **sizes)
        if shape.hidden_size % shape.num_attention_heads:
            raise KokoroError(f"config plbert hidden_size {shape.hidden_size} is not a multiple of {shape.num_attention_heads} heads")
        return shape


def gelu_tanh(x: Tensor) -> Tensor:
    """The tanh approximation of GELU ("gelu_new"), written as transformers writes it (same rounding)."""
    return 0.5 * x * (1.0 + torch.tanh(_SQRT_2_OVER_PI * (x + _GELU_CUBIC * torch.pow(x, 3.0))))


class AlbertEmbeddings(nn.Module):
    def __init__(self, shape: AlbertShape) -> None:
        super().__init__()
        std = shape.initializer_range  # transformers' initialisation of an Albert
        self.word_embeddings = embedding(shape.vocab_size, shape.embedding_size, std=std, padding_idx=0)
        self.position_embeddings = embedding(shape.max_position_embeddings, shape.embedding_size, std=std)
        self.token_type_embeddings = embedding(shape.type_vocab_size, shape.embedding_size, std=std)
        self.LayerNorm = nn.LayerNorm(shape.embedding_size, eps=shape.layer_norm_eps)
        positions = shape.max_position_embeddings
        ids = torch.empty(positions, dtype=torch.long) if building_on_meta() else torch.arange(positions)
        self.register_buffer("position_ids", ids.expand((1, -1)), persistent=False)
        self.register_buffer("token_type_ids", torch.zeros((1, positions), dtype=torch.long), persistent=False)

    def forward(self, input_ids: Tensor) -> Tensor:
        batch, steps = input_ids.shape
        token_types = self.token_type_ids[:, :steps].expand(batch, steps)
        embedded = self.word_embeddings(input_ids) + self.token_type_embeddings(token_types)
        return self.LayerNorm(embedded + self.position_embeddings(self.position_ids[:, :steps]))


class AlbertAttention(nn.Module):
    def __init__(self, shape: AlbertShape) -> None:
        super().__init__()
        self.heads = shape.num_attention_heads
        self.head_size = shape.hidden_size // shape.num_attention_heads
        self.scaling = self.head_size**-0.5
        self.query = nn.Linear(shape.hidden_size, shape.hidden_size)
        self.key = nn.Linear(shape.hidden_size, shape.hidden_size)
        self.value = nn.Linear(shape.hidden_size, shape.hidden_size)
        self.dense = nn.Linear(shape.hidden_size, shape.hidden_size)
        self.LayerNorm = nn.LayerNorm(shape.hidden_size, eps=shape.layer_norm_eps)

    def forward(self, hidden: Tensor, keep: Tensor | None, explicit: bool) -> Tensor:
        """``keep [B,1,1,T]``: which keys the queries may see (None: all)."""
        split = (*hidden.shape[:-1], self.heads, self.head_size)
        query, key, value = (layer(hidden).view(split).transpose(1, 2) for layer in (self.query, self.key, self.value))
        if explicit:  # plain matmuls and softmax: what every exporter lowers (SDPA exports only from opset 14)
            scores = torch.matmul(query, key.transpose(2, 3)) * self.scaling
            if keep is not None:
                scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
            mixed = torch.matmul(F.softmax(scores, dim=-1), value)
        else:
            mixed = F.scaled_dot_product_attention(query, key, value, attn_mask=keep, scale=self.scaling)
        mixed = mixed.transpose(1, 2).contiguous().reshape(*hidden.shape[:-1], -1)
        return self.LayerNorm(hidden + self.dense(mixed))


class AlbertLayer(nn.Module):
    def __init__(self, shape: AlbertShape) -> None:
        super().__init__()
        self.full_layer_layer_norm = nn.LayerNorm(shape.hidden_size, eps=shape.layer_norm_eps)
        self.attention = AlbertAttention(shape)
        self.ffn = nn.Linear(shape.hidden_size, shape.intermediate_size)
        self.ffn_output = nn.Linear(shape.intermediate_size, shape.hidden_size)

    def forward(self, hidden: Tensor, keep: Tensor | None, explicit: bool) -> Tensor:
        attended = self.attention(hidden, keep, explicit)
        return self.full_layer_layer_norm(self.ffn_output(gelu_tanh(self.ffn(attended))) + attended)


class AlbertLayerGroup(nn.Module):
    def __init__(self, shape: AlbertShape) -> None:
        super().__init__()
        self.albert_layers = nn.ModuleList(AlbertLayer(shape) for _ in range(shape.inner_group_num))

    def forward(self, hidden: Tensor, keep: Tensor | None, explicit: bool) -> Tensor:
        for layer in self.albert_layers:
            hidden = layer(hidden, keep, explicit)
        return hidden


class AlbertTransformer(nn.Module):
    """The embedding projection, then ``num_hidden_layers`` passes through the shared layer groups."""

    def __init__(self, shape: AlbertShape) -> None:
        super().__init__()
        self.layers_per_group = shape.num_hidden_layers / shape.num_hidden_groups
        self.passes = shape.num_hidden_layers
        self.embedding_hidden_mapping_in = nn.Linear(shape.embedding_size, shape.hidden_size)
        self.albert_layer_groups = nn.ModuleList(AlbertLayerGroup(shape) for _ in range(shape.num_hidden_groups))

    def forward(self, hidden: Tensor, keep: Tensor | None, explicit: bool) -> Tensor:
        hidden = self.embedding_hidden_mapping_in(hidden)
        for index in range(self.passes):
            hidden = self.albert_layer_groups[int(index / self.layers_per_group)](hidden, keep, explicit)
        return hidden


class PLBert(nn.Module):
    """Albert returning only the last hidden states ``[B,T,H]``; the unused pooler stays so that the
    checkpoint loads strictly.

    The pooler is frozen: nothing Kokoro computes depends on it, so it never gets a gradient, and a
    trainable parameter without one makes DistributedDataParallel stop with an error.
    ``explicit_attention`` (the exporters set it) computes attention with plain matmuls instead of
    torch's fused SDPA kernel; the result is the same function.
    """

    def __init__(self, n_token: int, plbert: dict[str, Any]) -> None:
        super().__init__()
        self.shape = AlbertShape.from_plbert(n_token, plbert)
        self.explicit_attention = False
        self.embeddings = AlbertEmbeddings(self.shape)
        self.encoder = AlbertTransformer(self.shape)
        self.pooler = nn.Linear(self.shape.hidden_size, self.shape.hidden_size)
        self.pooler.requires_grad_(False)
        self._initialise()

    def _initialise(self) -> None:
        """Random linear layers as transformers initialises an Albert (tests and from-scratch experiments);
        nothing on the meta device, whose tensors have no values."""
        for module in self.modules():
            if isinstance(module, nn.Linear) and not module.weight.is_meta:
                nn.init.normal_(module.weight, std=self.shape.initializer_range)
                nn.init.zeros_(module.bias)

    def forward(self, input_ids: Tensor, attention_mask: Tensor | None = None) -> Tensor:
        """``input_ids [B,T]``; ``attention_mask [B,T]`` 1 on real tokens and 0 on padding (None: no padding)."""
        embedded = self.embeddings(input_ids)
        keep = None
        if attention_mask is not None and (self.explicit_attention or not bool(attention_mask.all())):
            keep = attention_mask.bool()[:, None, None, :]  # broadcast over heads and queries
        return self.encoder(embedded, keep, self.explicit_attention)
