"""Our Albert (``model/albert.py``) against transformers' own, which it replaces so that speaking does not
import transformers: same parameter names, same outputs bit for bit, padded batches included."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.albert import AlbertShape, PLBert
from kokoro_tui.model.config import KokoroConfig

transformers = pytest.importorskip("transformers")


def reference_albert(n_token: int, plbert: dict) -> torch.nn.Module:
    """transformers' AlbertModel built as upstream Kokoro builds it, dropout off."""
    settings = {key: value for key, value in plbert.items() if key != "dropout"}
    config = transformers.AlbertConfig(vocab_size=n_token, hidden_act="gelu_new", hidden_dropout_prob=0.0,
                                       attention_probs_dropout_prob=0.0, **settings)  # fmt: skip
    return transformers.AlbertModel(config).eval()


def twins(config: KokoroConfig) -> tuple[PLBert, torch.nn.Module]:
    torch.manual_seed(0)
    reference = reference_albert(config.n_token, config.plbert)
    with torch.no_grad():  # trained-looking biases and norms, not transformers' zeros and ones
        for name, parameter in reference.named_parameters():
            if "LayerNorm" in name or name.endswith("bias"):
                parameter.add_(0.1 * torch.randn_like(parameter))
    ours = PLBert(config.n_token, config.plbert).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    return ours, reference


@pytest.mark.parametrize("config", [KokoroConfig.default(), KokoroConfig.tiny()], ids=["kokoro-82m", "tiny"])
def test_the_same_function_as_transformers_albert_bit_for_bit(config: KokoroConfig) -> None:
    ours, reference = twins(config)
    torch.manual_seed(1)
    ids = torch.randint(1, config.n_token, (1, 37))
    ids[0, 0] = ids[0, -1] = 0
    with torch.inference_mode():
        assert torch.equal(ours(ids), reference(input_ids=ids).last_hidden_state)
        # A padded batch: the mask hides the padding from every real token.
        batch = torch.zeros((2, 37), dtype=torch.long)
        batch[0], batch[1, :20] = ids[0], ids[0, :20]
        mask = (torch.arange(37) < torch.tensor([[37], [20]])).long()
        expected = reference(input_ids=batch, attention_mask=mask).last_hidden_state
        got = ours(batch, attention_mask=mask)
        assert torch.equal(got, expected)
        assert torch.allclose(got[1, :20], ours(batch[1:, :20])[0], atol=1e-5)


def test_explicit_attention_for_exports_is_the_same_function() -> None:
    ours, _ = twins(KokoroConfig.tiny())
    ids = torch.randint(1, 178, (2, 23))
    mask = (torch.arange(23) < torch.tensor([[23], [11]])).long()
    with torch.inference_mode():
        fused = ours(ids, attention_mask=mask)
        ours.explicit_attention = True
        explicit = ours(ids, attention_mask=mask)
    assert torch.allclose(fused, explicit, atol=1e-5)
    assert not torch.allclose(fused[1], ours(ids)[1], atol=1e-3)  # the mask does change the padded item


def test_gradients_reach_every_weight_but_the_pooler() -> None:
    ours, _ = twins(KokoroConfig.tiny())
    ours(torch.randint(1, 178, (1, 9))).square().sum().backward()
    for name, parameter in ours.named_parameters():
        assert (parameter.grad is not None) == parameter.requires_grad, name
    assert not ours.pooler.weight.requires_grad


def test_settings_it_does_not_implement_are_refused() -> None:
    plbert = KokoroConfig.default().plbert
    with pytest.raises(KokoroError, match="not supported"):
        AlbertShape.from_plbert(178, {**plbert, "position_embedding_type": "relative_key"})
    with pytest.raises(KokoroError, match="gelu"):
        AlbertShape.from_plbert(178, {**plbert, "hidden_act": "relu"})
    with pytest.raises(KokoroError, match="lacks"):
        AlbertShape.from_plbert(178, {key: value for key, value in plbert.items() if key != "hidden_size"})


def test_building_the_model_does_not_import_transformers() -> None:
    code = ("import sys; from kokoro_tui.model.kokoro import KokoroModel; from kokoro_tui.model.config import "
            "KokoroConfig; KokoroModel(KokoroConfig.tiny()); print('transformers' in sys.modules)")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
